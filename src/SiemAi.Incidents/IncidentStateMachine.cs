using MassTransit;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;
using SiemAi.Incidents.Audit;
using SiemAi.Incidents.Model;
using Recorded = SiemAi.Incidents.Model.Events;

namespace SiemAi.Incidents;

/// <summary>
/// The incident lifecycle: Received → Generating → Verifying → AwaitingApproval → [AwaitingCab] →
/// Approved → CheckRunning → CheckSucceeded | CheckFailed, with the exits Blocked, Denied, Expired
/// and Failed. Every transition records audit events; messages it sends go through the outbox.
/// </summary>
public sealed class IncidentStateMachine : MassTransitStateMachine<IncidentState>
{
    public IncidentStateMachine(IOptions<IncidentOptions> options)
    {
        var rules = options.Value;
        InstanceState(x => x.CurrentState);

        Event(() => AlertReceived, x => x.CorrelateById(m => m.Message.IncidentId));
        Event(() => PlaybookGenerated, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => GenerationFailed, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => PlaybookVerified, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DecisionSubmitted, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => CabDecided, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => RunCompleted, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => RunFailed, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => TimerElapsed, x => { x.CorrelateById(m => m.Message.IncidentId); x.OnMissingInstance(m => m.Discard()); });

        // Out-of-place messages are part of the record, never a crash.
        OnUnhandledEvent(context =>
        {
            context.Saga.PendingEvents.Add(new AuditRecord(
                new Recorded.UnexpectedMessageIgnored(MessageTypeOf(context.Event), context.Saga.CurrentState),
                TransitionContextExtensions.SagaActor, context.Saga.PlaybookSha256));
            return context.Ignore();
        });

        WhenEnterAny(x => x.ThenAsync(async context =>
        {
            var from = context.Saga.Status;
            var to = context.Saga.CurrentState;
            context.Saga.Status = to;
            context.Saga.UpdatedAt = DateTimeOffset.UtcNow;
            await context.Enqueue(new IncidentStatusChanged
            {
                IncidentId = context.Saga.CorrelationId,
                Timestamp = DateTimeOffset.UtcNow,
                From = from,
                To = to,
                Reason = context.Saga.ClosedReason,
            });
        }));

        Initially(
            When(AlertReceived)
                .Then(context =>
                {
                    var alert = context.Message.Alert;
                    var saga = context.Saga;
                    saga.Alert = alert;
                    saga.AlertCount = 1;
                    saga.CreatedAt = alert.ReceivedAt;
                    saga.LastSeenAt = alert.ReceivedAt;
                    saga.RaisedBy = alert.Fields.TryGetValue("submitted_by", out var by) ? by : alert.SourceSystem;
                    context.Audit(Recorded.AlertReceived.Of(alert, 1), actor: $"source:{alert.SourceSystem}");
                })
                .TransitionTo(Received)
                .ThenAsync(context => RequestGeneration(context, rules, comment: null))
                .TransitionTo(Generating));

        // Alerts with the same fingerprint inside the dedup window join the incident, whatever its state.
        DuringAny(When(AlertReceived).Then(RecordRepeatAlert));

        During(Generating,
            When(PlaybookGenerated, context => context.Message.Attempt == context.Saga.GenerationAttempt)
                .ThenAsync(async context =>
                {
                    var m = context.Message;
                    var saga = context.Saga;
                    context.CancelTimer(saga.StageTimerId);
                    saga.PlaybookYaml = m.PlaybookYaml;
                    saga.PlaybookSha256 = m.PlaybookSha256;
                    saga.PlaybookTitle = m.Title;
                    saga.Provenance = m.Provenance;
                    context.Audit(new Recorded.PlaybookGenerated(m.Title, m.Attempt, m.DeclaredRisk, m.Provenance, m.PlaybookYaml), actor: m.Provenance.Generator == "llm" ? $"service:generator:llm:{m.Provenance.Model}" : "service:generator:template");
                    saga.StageTimerId = context.ScheduleTimer(TimerKinds.VerificationTimeout, rules.VerificationTimeout);
                    await context.Enqueue(new VerifyPlaybook
                    {
                        IncidentId = saga.CorrelationId,
                        Timestamp = DateTimeOffset.UtcNow,
                        PlaybookYaml = m.PlaybookYaml,
                        PlaybookSha256 = m.PlaybookSha256,
                        AllowedHosts = AllowedHosts(saga.Alert),
                    });
                })
                .TransitionTo(Verifying),
            When(PlaybookGenerated, context => context.Message.Attempt != context.Saga.GenerationAttempt)
                .Then(context => context.Audit(new Recorded.StaleMessageIgnored(nameof(PlaybookGenerated), Attempt: context.Message.Attempt))),
            When(GenerationFailed, context => context.Message.Attempt == context.Saga.GenerationAttempt)
                .Then(context =>
                {
                    context.CancelTimer(context.Saga.StageTimerId);
                    context.Audit(new Recorded.PlaybookGenerationFailed(context.Message.Reason, context.Message.Attempt, context.Message.Retryable));
                })
                .IfElse(context => context.Message.Retryable && context.Saga.RoundAttempts < rules.MaxGenerationAttempts,
                    retry => retry.Then(context => context.Saga.StageTimerId = context.ScheduleTimer(TimerKinds.RetryGeneration, Backoff(rules, context.Saga.GenerationAttempt))),
                    fail => fail.Then(context => Close(context, IncidentOutcome.Failed, $"generation failed after {context.Saga.RoundAttempts} attempt(s): {context.Message.Reason}")).TransitionTo(Failed)),
            When(GenerationFailed, context => context.Message.Attempt != context.Saga.GenerationAttempt)
                .Then(context => context.Audit(new Recorded.StaleMessageIgnored(nameof(PlaybookGenerationFailed), Attempt: context.Message.Attempt))),
            When(TimerElapsed, context => IsCurrent(context, TimerKinds.RetryGeneration))
                .ThenAsync(context => RequestGeneration(context, rules, context.Saga.RegenerationComment)),
            When(TimerElapsed, context => IsCurrent(context, TimerKinds.GenerationTimeout))
                .Then(context => context.Audit(new Recorded.PlaybookGenerationFailed("generation timed out", context.Saga.GenerationAttempt, Retryable: true)))
                .IfElse(context => context.Saga.RoundAttempts < rules.MaxGenerationAttempts,
                    retry => retry.ThenAsync(context => RequestGeneration(context, rules, context.Saga.RegenerationComment)),
                    fail => fail.Then(context => Close(context, IncidentOutcome.Failed, "generation timed out")).TransitionTo(Failed)));

        During(Verifying,
            When(PlaybookVerified, context => context.Message.PlaybookSha256 == context.Saga.PlaybookSha256 && context.Message.Verdict == SafetyVerdict.Block)
                .Then(context =>
                {
                    RecordVerdict(context);
                    context.Audit(new Recorded.PlaybookRejected(context.Message.Verdict, context.Message.Risk, context.Message.Findings), actor: "service:safety");
                    Close(context, IncidentOutcome.Blocked, "the safety gate blocked the playbook");
                })
                .TransitionTo(Blocked),
            When(PlaybookVerified, context => context.Message.PlaybookSha256 == context.Saga.PlaybookSha256 && context.Message.Verdict != SafetyVerdict.Block)
                .Then(context =>
                {
                    var saga = context.Saga;
                    RecordVerdict(context);
                    context.Audit(new Recorded.PlaybookVerified(context.Message.Verdict, context.Message.Risk, context.Message.Findings), actor: "service:safety");
                    saga.RequiredApprovals = rules.DualControlEnabled ? 2 : 1;
                    saga.NeedsCab = context.Message.Risk >= rules.CabRiskThreshold;
                    saga.Approvals.RemoveAll(a => !a.ForApply);
                    var deadline = rules.DeadlineFor(saga.Alert!.Severity);
                    saga.ApprovalDeadline = DateTimeOffset.UtcNow + deadline;
                    saga.ApprovalTimerId = context.ScheduleTimer(TimerKinds.ApprovalExpiry, deadline);
                    context.Audit(new Recorded.ApprovalRequested(saga.RequiredApprovals, rules.DualControlEnabled, saga.NeedsCab, saga.ApprovalDeadline));
                })
                .TransitionTo(AwaitingApproval),
            When(PlaybookVerified, context => context.Message.PlaybookSha256 != context.Saga.PlaybookSha256)
                .Then(context => context.Audit(new Recorded.StaleMessageIgnored(nameof(PlaybookVerified), PlaybookSha256: context.Message.PlaybookSha256))),
            When(TimerElapsed, context => IsCurrent(context, TimerKinds.VerificationTimeout))
                .Then(context => Close(context, IncidentOutcome.Failed, "the safety gate did not answer in time"))
                .TransitionTo(Failed));

        During(AwaitingApproval,
            When(DecisionSubmitted)
                .ThenAsync(context => Decide(context, rules)),
            When(TimerElapsed, context => IsCurrent(context, TimerKinds.ApprovalExpiry))
                .Then(Expire)
                .TransitionTo(Expired));

        During(AwaitingCab,
            When(CabDecided, context => context.Message.PlaybookSha256 == context.Saga.PlaybookSha256)
                .Then(context =>
                {
                    context.Saga.CabDecision = context.Message.Decision;
                    context.Saga.CabChangeRequestId = context.Message.ChangeRequestId;
                    context.Audit(new Recorded.CabDecided(context.Message.Decision, context.Message.ChangeRequestId, context.Message.DecidedBy, context.Message.Comment), actor: $"cab:{context.Message.DecidedBy}");
                })
                .IfElse(context => context.Message.Decision == CabDecision.Approved,
                    approved => approved.Then(context => context.CancelTimer(context.Saga.ApprovalTimerId)).TransitionTo(Approved).ThenAsync(context => StartRun(context, rules, RunMode.Check, attempt: 1)).TransitionTo(CheckRunning),
                    rejected => rejected.Then(context => { context.CancelTimer(context.Saga.ApprovalTimerId); Close(context, IncidentOutcome.Denied, "the change-advisory board rejected the change"); }).TransitionTo(Denied)),
            When(CabDecided, context => context.Message.PlaybookSha256 != context.Saga.PlaybookSha256)
                .Then(context => context.Audit(new Recorded.DecisionRejected(Approver: null, Decision: null, "CAB decision names another playbook", PlaybookSha256: context.Message.PlaybookSha256))),
            When(DecisionSubmitted)
                .Then(context => context.Audit(new Recorded.DecisionRejected(context.Message.Approver, Decision: null, "waiting for the change-advisory board"), actor: $"approver:{context.Message.Approver}")),
            When(TimerElapsed, context => IsCurrent(context, TimerKinds.ApprovalExpiry))
                .Then(Expire)
                .TransitionTo(Expired));

        During(CheckRunning, ApplyRunning,
            When(RunCompleted, context => context.Message.RunId == context.Saga.RunId)
                .Then(context =>
                {
                    var m = context.Message;
                    context.CancelTimer(context.Saga.StageTimerId);
                    context.Saga.LastRunSucceeded = m.Succeeded;
                    context.Saga.LastRunHosts = [.. m.Hosts];
                    context.Audit(m.Mode == RunMode.Check
                        ? new Recorded.CheckRunCompleted(m.RunId, m.Succeeded, m.ExitCode, m.Hosts, m.OutputSha256, m.ResultJson, m.DurationSeconds)
                        : new Recorded.ApplyRunCompleted(m.RunId, m.Succeeded, m.ExitCode, m.Hosts, m.OutputSha256, m.ResultJson, m.DurationSeconds), actor: "service:runner");
                })
                .IfElse(context => context.Message.Mode == RunMode.Check,
                    check => check.IfElse(context => context.Message.Succeeded,
                        ok => ok.Then(context => Close(context, IncidentOutcome.CheckSucceeded, null)).TransitionTo(CheckSucceeded),
                        bad => bad.Then(context => Close(context, IncidentOutcome.CheckFailed, "the check run reported failed or unreachable hosts")).TransitionTo(CheckFailed)),
                    apply => apply.IfElse(context => context.Message.Succeeded,
                        ok => ok.Then(context => Close(context, IncidentOutcome.Applied, null)).TransitionTo(Applied),
                        bad => bad.Then(context => Close(context, IncidentOutcome.ApplyFailed, "the apply run reported failed or unreachable hosts")).TransitionTo(ApplyFailed))),
            When(RunFailed, context => context.Message.RunId == context.Saga.RunId && context.Message.Refused)
                .Then(context =>
                {
                    context.CancelTimer(context.Saga.StageTimerId);
                    context.Audit(new Recorded.RunRefused(context.Message.RunId, context.Message.Reason), actor: "service:runner");
                    Close(context, IncidentOutcome.Failed, $"the runner refused the playbook: {context.Message.Reason}");
                })
                .TransitionTo(Failed),
            When(RunFailed, context => context.Message.RunId == context.Saga.RunId && !context.Message.Refused)
                .Then(context =>
                {
                    context.CancelTimer(context.Saga.StageTimerId);
                    context.Audit(new Recorded.RunFailed(context.Message.RunId, context.Message.Reason, context.Message.Attempt, context.Message.Retryable), actor: "service:runner");
                })
                .IfElse(context => context.Message.Retryable && context.Saga.RunAttempt < rules.MaxRunAttempts,
                    retry => retry.Then(context => context.Saga.StageTimerId = context.ScheduleTimer(TimerKinds.RetryRun, Backoff(rules, context.Saga.RunAttempt))),
                    fail => fail.IfElse(context => context.Saga.RunMode == RunMode.Check,
                        check => check.Then(context => Close(context, IncidentOutcome.CheckFailed, $"check run failed: {context.Message.Reason}")).TransitionTo(CheckFailed),
                        apply => apply.Then(context => Close(context, IncidentOutcome.ApplyFailed, $"apply run failed: {context.Message.Reason}")).TransitionTo(ApplyFailed))),
            When(RunCompleted, context => context.Message.RunId != context.Saga.RunId)
                .Then(context => context.Audit(new Recorded.StaleMessageIgnored(nameof(PlaybookRunCompleted), RunId: context.Message.RunId))),
            When(RunFailed, context => context.Message.RunId != context.Saga.RunId)
                .Then(context => context.Audit(new Recorded.StaleMessageIgnored(nameof(PlaybookRunFailed), RunId: context.Message.RunId))),
            When(TimerElapsed, context => IsCurrent(context, TimerKinds.RetryRun))
                .ThenAsync(context => StartRun(context, rules, context.Saga.RunMode, context.Saga.RunAttempt + 1)),
            When(TimerElapsed, context => IsCurrent(context, TimerKinds.RunTimeout))
                .Then(context => Close(context, IncidentOutcome.Failed, "the runner did not report in time"))
                .TransitionTo(Failed));

        During(CheckSucceeded,
            When(DecisionSubmitted, context => context.Message.ForApply)
                .ThenAsync(context => DecideApply(context, rules)),
            When(DecisionSubmitted, context => !context.Message.ForApply)
                .Then(context => context.Audit(
                    new Recorded.DecisionRejected(context.Message.Approver, Decision: null, "the check run is done; only approvals for apply are taken now"),
                    $"approver:{context.Message.Approver}")));
    }

    public State Received { get; private set; } = null!;
    public State Generating { get; private set; } = null!;
    public State Verifying { get; private set; } = null!;
    public State AwaitingApproval { get; private set; } = null!;
    public State AwaitingCab { get; private set; } = null!;
    public State Approved { get; private set; } = null!;
    public State CheckRunning { get; private set; } = null!;
    public State CheckSucceeded { get; private set; } = null!;
    public State CheckFailed { get; private set; } = null!;
    public State ApplyRunning { get; private set; } = null!;
    public State Applied { get; private set; } = null!;
    public State ApplyFailed { get; private set; } = null!;
    public State Blocked { get; private set; } = null!;
    public State Denied { get; private set; } = null!;
    public State Expired { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<AlertReceived> AlertReceived { get; private set; } = null!;
    public Event<PlaybookGenerated> PlaybookGenerated { get; private set; } = null!;
    public Event<PlaybookGenerationFailed> GenerationFailed { get; private set; } = null!;
    public Event<PlaybookVerified> PlaybookVerified { get; private set; } = null!;
    public Event<SubmitApprovalDecision> DecisionSubmitted { get; private set; } = null!;
    public Event<RecordCabDecision> CabDecided { get; private set; } = null!;
    public Event<PlaybookRunCompleted> RunCompleted { get; private set; } = null!;
    public Event<PlaybookRunFailed> RunFailed { get; private set; } = null!;
    public Event<IncidentTimerElapsed> TimerElapsed { get; private set; } = null!;

    private async Task Decide(BehaviorContext<IncidentState, SubmitApprovalDecision> context, IncidentOptions rules)
    {
        var m = context.Message;
        var saga = context.Saga;
        var actor = $"approver:{m.Approver}";
        var refusal = m.ForApply ? "apply approvals are taken only after a successful check run" : ApprovalPolicy.Refusal(saga, m)?.Reason;
        if (refusal is not null)
        {
            context.Audit(new Recorded.DecisionRejected(m.Approver, m.Decision, refusal), actor);
            return;
        }

        switch (m.Decision)
        {
            case ApprovalDecision.Deny:
                context.CancelTimer(saga.ApprovalTimerId);
                context.Audit(new Recorded.ApprovalDenied(m.Approver, m.Comment), actor);
                Close(context, IncidentOutcome.Denied, $"denied by {m.Approver}");
                await context.TransitionToState(Denied);
                return;

            case ApprovalDecision.Regenerate when saga.Regenerations >= rules.MaxRegenerations:
                context.Audit(new Recorded.DecisionRejected(m.Approver, ApprovalDecision.Regenerate, $"at most {rules.MaxRegenerations} regenerations"), actor);
                return;

            case ApprovalDecision.Regenerate:
                context.CancelTimer(saga.ApprovalTimerId);
                saga.Regenerations++;
                saga.RegenerationComment = m.Comment;
                if (!saga.Editors.Contains(m.Approver))
                {
                    saga.Editors.Add(m.Approver);
                }

                saga.Approvals.Clear();
                context.Audit(new Recorded.RegenerationRequested(m.Approver, m.Comment, saga.Regenerations), actor);
                saga.RoundAttempts = 0;
                await RequestGeneration(context, rules, m.Comment);
                await context.TransitionToState(Generating);
                return;

            default:
                saga.Approvals.Add(new ApprovalEntry(m.Approver, m.Timestamp, m.Comment, ForApply: false));
                var count = saga.Approvals.Count(a => !a.ForApply);
                var complete = count >= saga.RequiredApprovals;
                context.Audit(new Recorded.PlaybookApproved(m.Approver, m.Comment, count, saga.RequiredApprovals, complete, ForApply: false), actor);
                if (!complete)
                {
                    return;
                }

                if (saga.NeedsCab && saga.CabDecision is null)
                {
                    context.Audit(new Recorded.CabRequested(saga.Risk, [.. saga.Approvals.Select(a => a.Approver)]));
                    await context.Enqueue(new RequestCabReview
                    {
                        IncidentId = saga.CorrelationId,
                        Timestamp = DateTimeOffset.UtcNow,
                        Title = saga.PlaybookTitle ?? saga.Alert!.Title,
                        Risk = saga.Risk ?? RiskLevel.High,
                        PlaybookSha256 = saga.PlaybookSha256!,
                        Approvers = [.. saga.Approvals.Select(a => a.Approver)],
                    });
                    await context.TransitionToState(AwaitingCab);
                    return;
                }

                context.CancelTimer(saga.ApprovalTimerId);
                await context.TransitionToState(Approved);
                await StartRun(context, rules, RunMode.Check, attempt: 1);
                await context.TransitionToState(CheckRunning);
                return;
        }
    }

    private async Task DecideApply(BehaviorContext<IncidentState, SubmitApprovalDecision> context, IncidentOptions rules)
    {
        var m = context.Message;
        var saga = context.Saga;
        var actor = $"approver:{m.Approver}";
        if ((ApprovalPolicy.Refusal(saga, m)?.Reason ?? (m.Decision == ApprovalDecision.Approve ? null : "only approvals apply to a check result")) is { } refusal)
        {
            context.Audit(new Recorded.DecisionRejected(m.Approver, m.Decision, refusal, ForApply: true), actor);
            return;
        }

        saga.Approvals.Add(new ApprovalEntry(m.Approver, m.Timestamp, m.Comment, ForApply: true));
        var count = saga.Approvals.Count(a => a.ForApply);
        var complete = count >= saga.RequiredApprovals;
        context.Audit(new Recorded.PlaybookApproved(m.Approver, m.Comment, count, saga.RequiredApprovals, complete, ForApply: true), actor);
        if (complete)
        {
            await StartRun(context, rules, RunMode.Apply, attempt: 1);
            await context.TransitionToState(ApplyRunning);
        }
    }

    private static async Task RequestGeneration(BehaviorContext<IncidentState> context, IncidentOptions rules, string? comment)
    {
        var saga = context.Saga;
        saga.GenerationAttempt++;
        saga.RoundAttempts++;
        saga.StageTimerId = context.ScheduleTimer(TimerKinds.GenerationTimeout, rules.GenerationTimeout);
        await context.Enqueue(new GeneratePlaybook
        {
            IncidentId = saga.CorrelationId,
            Timestamp = DateTimeOffset.UtcNow,
            Alert = saga.Alert!,
            Attempt = saga.GenerationAttempt,
            RegenerationComment = comment,
            PreviousPlaybookSha256 = saga.PlaybookSha256,
        });
    }

    private static async Task StartRun(BehaviorContext<IncidentState> context, IncidentOptions rules, RunMode mode, int attempt)
    {
        var saga = context.Saga;
        saga.RunId = NewId.NextGuid();
        saga.RunAttempt = attempt;
        saga.RunMode = mode;
        saga.StageTimerId = context.ScheduleTimer(TimerKinds.RunTimeout, rules.RunTimeout);
        var approvers = saga.Approvals.Where(a => a.ForApply == (mode == RunMode.Apply)).Select(a => a.Approver).ToList();
        context.Audit(mode == RunMode.Check ? new Recorded.CheckRunStarted(saga.RunId, attempt, approvers) : new Recorded.ApplyRunStarted(saga.RunId, attempt, approvers));
        await context.Enqueue(new RunPlaybook
        {
            IncidentId = saga.CorrelationId,
            Timestamp = DateTimeOffset.UtcNow,
            RunId = saga.RunId.Value,
            PlaybookYaml = saga.PlaybookYaml!,
            PlaybookSha256 = saga.PlaybookSha256!,
            Mode = mode,
            Attempt = attempt,
            Approvers = approvers,
        });
    }

    private static void RecordRepeatAlert(BehaviorContext<IncidentState, AlertReceived> context)
    {
        var alert = context.Message.Alert;
        context.Saga.AlertCount++;
        context.Saga.LastSeenAt = alert.ReceivedAt > context.Saga.LastSeenAt ? alert.ReceivedAt : context.Saga.LastSeenAt;
        context.Audit(Recorded.AlertReceived.Of(alert, context.Saga.AlertCount), actor: $"source:{alert.SourceSystem}");
    }

    private static void RecordVerdict(BehaviorContext<IncidentState, PlaybookVerified> context)
    {
        context.CancelTimer(context.Saga.StageTimerId);
        context.Saga.Verdict = context.Message.Verdict;
        context.Saga.Risk = context.Message.Risk;
        context.Saga.Findings = [.. context.Message.Findings];
    }

    private static void Expire(BehaviorContext<IncidentState> context)
    {
        context.Audit(new Recorded.ApprovalExpired(context.Saga.ApprovalDeadline, context.Saga.Approvals.Count(a => !a.ForApply), context.Saga.RequiredApprovals));
        Close(context, IncidentOutcome.Expired, "no decision before the approval deadline");
    }

    private static void Close(BehaviorContext<IncidentState> context, IncidentOutcome outcome, string? reason)
    {
        context.Saga.ClosedReason = reason;
        context.Audit(new Recorded.IncidentClosed(outcome, reason));
    }

    private static bool IsCurrent(BehaviorContext<IncidentState, IncidentTimerElapsed> context, string kind) =>
        context.Message.Kind == kind && (context.Message.TimerId == context.Saga.StageTimerId || context.Message.TimerId == context.Saga.ApprovalTimerId);

    /// <summary>The contract's name (what operators know), not the machine's event property name.</summary>
    private static string MessageTypeOf(Event @event) =>
        @event.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>))?.GetGenericArguments()[0].Name
        ?? @event.Name;

    private static TimeSpan Backoff(IncidentOptions rules, int attempt) => rules.RetryBackoff * Math.Pow(2, Math.Max(0, attempt - 1));

    private static List<string> AllowedHosts(NormalizedAlert? alert) =>
        alert is null ? [] : [.. new[] { alert.Asset }.Concat(alert.AssetGroups).OfType<string>().Where(h => h.Length > 0)];
}
