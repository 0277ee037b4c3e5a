using SiemAi.EventStore;
using SiemAi.Incidents.Model.Events;

namespace SiemAi.Incidents.Model;

/// <summary>
/// The one fold of an incident's events into its state (Marten's <c>Apply</c> style), as the saga would have left
/// it: the audit replay, the runner's approval check and test helpers all read the stream through this.
/// Bookkeeping events (stale or unexpected messages, refused decisions, unknown types) change nothing.
/// </summary>
public static class IncidentProjection
{
    public static IncidentView Empty(string streamId) => new(streamId);

    /// <summary>The view after <paramref name="events"/> (in version order).</summary>
    public static IncidentView Fold(string streamId, IEnumerable<RecordedEvent> events)
    {
        var view = Empty(streamId);
        foreach (var e in events.OrderBy(e => e.Version))
        {
            Apply(view, IncidentEvents.Read(e));
        }

        return view;
    }

    public static void Apply(IncidentView view, IncidentEventEnvelope e)
    {
        view.Version = e.Version;
        view.AsOf = e.RecordedAt;
        switch (e.Event)
        {
            case AlertReceived alert:
                view.AlertCount = alert.AlertCount > 0 ? alert.AlertCount : view.AlertCount + 1;
                if (view.Status == IncidentStatus.None)
                {
                    // The saga records the alert and asks for a playbook in the same transition.
                    view.Title = alert.Title;
                    view.Severity = alert.Severity;
                    view.Asset = alert.Asset;
                    view.Status = IncidentStatus.Generating;
                }

                break;

            case PlaybookGenerated generated:
                view.PlaybookSha256 = e.PlaybookSha256 ?? view.PlaybookSha256;
                view.PlaybookTitle = generated.Title;
                view.Verdict = null;
                view.Risk = null;
                view.Status = IncidentStatus.Verifying;
                break;

            case PlaybookRejected rejected:
                view.Verdict = rejected.Verdict;
                view.Risk = rejected.Risk;
                view.Status = IncidentStatus.Blocked;
                break;

            case PlaybookVerified verified:
                view.Verdict = verified.Verdict;
                view.Risk = verified.Risk;
                view.Approvals.RemoveAll(a => !a.ForApply);
                break;

            case ApprovalRequested requested:
                view.RequiredApprovals = requested.Required;
                view.NeedsCab = requested.NeedsCab;
                view.Deadline = requested.Deadline;
                view.Status = IncidentStatus.AwaitingApproval;
                break;

            case PlaybookApproved approved:
                view.Approvals.Add(new IncidentApproval(approved.Approver, e.RecordedAt, approved.Comment, approved.ForApply, e.PlaybookSha256));
                view.RequiredApprovals = approved.Required;
                if (approved.Complete)
                {
                    view.Status = IncidentStatus.Approved;
                }

                break;

            case ApprovalDenied:
                view.Status = IncidentStatus.Denied;
                break;

            case RegenerationRequested regeneration:
                view.Approvals.Clear();
                view.Regenerations = regeneration.Regeneration > 0 ? regeneration.Regeneration : view.Regenerations + 1;
                if (!view.EditorList.Contains(regeneration.Approver))
                {
                    view.EditorList.Add(regeneration.Approver);
                }

                view.Status = IncidentStatus.Generating;
                break;

            case CabRequested:
                view.Status = IncidentStatus.AwaitingCab;
                break;

            case CabDecided cab:
                view.CabDecision = cab.Decision;
                view.CabChangeRequestId = cab.ChangeRequestId;
                view.Status = cab.Decision == Contracts.CabDecision.Approved ? IncidentStatus.Approved : IncidentStatus.Denied;
                break;

            case CheckRunStarted started:
                view.Runs.Add(Run(started.RunId, "check", started.Attempt, started.Approvers, e.RecordedAt));
                view.Status = IncidentStatus.CheckRunning;
                break;

            case ApplyRunStarted started:
                view.Runs.Add(Run(started.RunId, "apply", started.Attempt, started.Approvers, e.RecordedAt));
                view.Status = IncidentStatus.ApplyRunning;
                break;

            case CheckRunCompleted completed:
                Complete(view, completed.RunId, completed.Succeeded, completed.ExitCode, completed.DurationSeconds);
                view.Status = completed.Succeeded ? IncidentStatus.CheckSucceeded : IncidentStatus.CheckFailed;
                break;

            case ApplyRunCompleted completed:
                Complete(view, completed.RunId, completed.Succeeded, completed.ExitCode, completed.DurationSeconds);
                view.Status = completed.Succeeded ? IncidentStatus.Applied : IncidentStatus.ApplyFailed;
                break;

            case RunFailed failed:
                UpdateRun(view, failed.RunId, run => run with { Result = "failed", Succeeded = false, Reason = failed.Reason });
                break;

            case RunRefused refused:
                UpdateRun(view, refused.RunId, run => run with { Result = "refused", Succeeded = false, Reason = refused.Reason });
                view.Status = IncidentStatus.Failed;
                break;

            case ApprovalExpired:
                view.Status = IncidentStatus.Expired;
                break;

            case IncidentClosed closed:
                view.Outcome = closed.Outcome;
                view.ClosedReason = closed.Reason;
                view.Status = StatusAfter(closed.Outcome);
                break;
        }
    }

    /// <summary>The status an outcome leaves the incident in.</summary>
    public static IncidentStatus StatusAfter(IncidentOutcome outcome) => outcome switch
    {
        IncidentOutcome.CheckSucceeded => IncidentStatus.CheckSucceeded,
        IncidentOutcome.CheckFailed => IncidentStatus.CheckFailed,
        IncidentOutcome.Applied => IncidentStatus.Applied,
        IncidentOutcome.ApplyFailed => IncidentStatus.ApplyFailed,
        IncidentOutcome.Blocked => IncidentStatus.Blocked,
        IncidentOutcome.Denied => IncidentStatus.Denied,
        IncidentOutcome.Expired => IncidentStatus.Expired,
        _ => IncidentStatus.Failed,
    };

    private static IncidentRun Run(Guid? runId, string mode, int attempt, IReadOnlyList<string>? approvers, DateTimeOffset at) => new()
    {
        RunId = runId?.ToString("D") ?? string.Empty,
        Mode = mode,
        Attempt = attempt > 0 ? attempt : 1,
        Approvers = approvers ?? [],
        StartedAt = at,
    };

    private static void Complete(IncidentView view, Guid runId, bool succeeded, int exitCode, double duration) =>
        UpdateRun(view, runId, run => run with { Result = succeeded ? "succeeded" : "failed", Succeeded = succeeded, ExitCode = exitCode, DurationSeconds = duration });

    private static void UpdateRun(IncidentView view, Guid runId, Func<IncidentRun, IncidentRun> change)
    {
        var id = runId.ToString("D");
        var i = view.Runs.FindLastIndex(r => r.RunId == id);
        if (i >= 0)
        {
            view.Runs[i] = change(view.Runs[i]);
        }
    }
}
