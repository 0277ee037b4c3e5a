using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;
using SiemAi.Incidents.Audit;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Timers;

namespace SiemAi.Incidents.Tests;

/// <summary>
/// One incident saga on MassTransit's test harness and in-memory repository, driven one message at
/// a time: every step publishes a message and waits until the saga has consumed it, so assertions
/// see the transition's complete result (state, audit events, timers, published messages).
/// </summary>
public sealed class IncidentSpec : IAsyncDisposable
{
    /// <summary>The principal that submitted the alert (the ingestion API key name); never an approver of it.</summary>
    public const string Raiser = "api-key:siem-east";

    private readonly ServiceProvider _provider;

    private IncidentSpec(ServiceProvider provider, IncidentOptions options)
    {
        _provider = provider;
        Options = options;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<IncidentStateMachine, IncidentState>();
        Machine = provider.GetRequiredService<IncidentStateMachine>();
    }

    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<IncidentStateMachine, IncidentState> Saga { get; }
    public IncidentStateMachine Machine { get; }
    public IncidentOptions Options { get; }
    public Guid IncidentId { get; } = NewId.NextGuid();

    /// <summary>The hash of the playbook the last <see cref="Generate"/> produced.</summary>
    public string PlaybookSha256 { get; private set; } = string.Empty;

    public string PlaybookYaml { get; private set; } = string.Empty;

    public static async Task<IncidentSpec> Start(Action<IncidentOptions>? configure = null)
    {
        var options = new IncidentOptions();
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddMassTransitTestHarness(x => x.AddSagaStateMachine<IncidentStateMachine, IncidentState>().InMemoryRepository());
        var provider = services.BuildServiceProvider(validateScopes: true);
        var spec = new IncidentSpec(provider, options);
        await spec.Harness.Start();
        return spec;
    }

    /// <summary>The saga instance as the repository holds it now.</summary>
    public IncidentState State => Saga.Sagas.Contains(IncidentId) ?? throw new InvalidOperationException($"no saga for incident {IncidentId}");

    public string CurrentState => State.CurrentState;

    public IReadOnlyList<string> EventTypes => [.. State.PendingEvents.Select(e => e.Type)];

    public IReadOnlyList<AuditRecord> Events(string type) => [.. State.PendingEvents.Where(e => e.Type == type)];

    public AuditRecord LastEvent(string type) =>
        State.PendingEvents.LastOrDefault(e => e.Type == type) ?? throw new Xunit.Sdk.XunitException($"no '{type}' event; recorded: {string.Join(", ", EventTypes)}");

    /// <summary>An event's data as the event store would serialise it.</summary>
    public static JsonElement Data(AuditRecord record) => JsonDocument.Parse(IncidentEvents.Serialize(record.Event)).RootElement;

    public IReadOnlyList<T> Published<T>()
        where T : class =>
        [.. Harness.Published.Select<T>().Select(x => x.Context.Message)];

    public IReadOnlyList<IncidentStatusChanged> StatusChanges =>
        [.. Published<IncidentStatusChanged>().Where(x => x.IncidentId == IncidentId)];

    /// <summary>Timers of a kind this saga scheduled and has not cancelled (fired ones included: the sweeper removes those).</summary>
    public IReadOnlyList<TimerRequest> LiveTimers(string kind)
    {
        var cancelled = State.PendingTimers.Where(t => t.Cancel).Select(t => t.TimerId).ToHashSet();
        return [.. State.PendingTimers.Where(t => !t.Cancel && t.Kind == kind && !cancelled.Contains(t.TimerId))];
    }

    /// <summary>Publishes <paramref name="message"/> and waits until the saga consumed it without an exception.</summary>
    public async Task Deliver<T>(T message)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, c => c.MessageId = messageId);
        var consumed = await ConsumedBySaga<T>(messageId);
        Assert.Null(consumed.Exception);
    }

    // The harness's own Any() gives up once the bus has been idle for a moment (its inactivity token
    // fires once per harness), which a later step in a spec would trip over; polling the list has no
    // such memory. The deadline only stops a hang.
    private async Task<IReceivedMessage<T>> ConsumedBySaga<T>(Guid messageId)
        where T : class
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Saga.Consumed.Select<T>(x => x.Context.MessageId == messageId).FirstOrDefault() is { } consumed)
            {
                return consumed;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"the saga did not consume {typeof(T).Name} {messageId} within 30 s");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>No message the saga consumed faulted, and no <see cref="Fault{T}"/> was published.</summary>
    public void AssertNoFaults()
    {
        Assert.Empty(Saga.Consumed.Select(x => x.Exception is not null));
        Assert.Empty(Harness.Published.Select(x => x.MessageType.IsGenericType && x.MessageType.GetGenericTypeDefinition() == typeof(Fault<>)));
        Assert.Empty(Harness.Published.Select<Fault>());
    }

    public async Task RaiseAlert(NormalizedAlert? alert = null)
    {
        await Deliver(new AlertReceived { IncidentId = IncidentId, Timestamp = DateTimeOffset.UtcNow, Alert = alert ?? Alerts.Ssh() });
    }

    /// <summary>The generator's answer to the current request (or to <paramref name="attempt"/>).</summary>
    public PlaybookGenerated Generated(string? yaml = null, int? attempt = null)
    {
        yaml ??= Playbooks.BlockIp(attempt ?? State.GenerationAttempt, State.Regenerations);
        return new PlaybookGenerated
        {
            IncidentId = IncidentId,
            Timestamp = DateTimeOffset.UtcNow,
            PlaybookYaml = yaml,
            PlaybookSha256 = PlaybookHash.Of(yaml),
            Title = "Block the brute-forcing source address",
            DeclaredRisk = RiskLevel.Medium,
            Provenance = new GeneratorProvenance { Generator = "template", TemplateId = "ssh-brute-force", TemplateVersion = "1.0.0", Score = 0.9 },
            Attempt = attempt ?? State.GenerationAttempt,
        };
    }

    public async Task Generate(string? yaml = null)
    {
        var generated = Generated(yaml);
        await Deliver(generated);
        PlaybookYaml = generated.PlaybookYaml;
        PlaybookSha256 = generated.PlaybookSha256;
    }

    public PlaybookVerified Verdict(SafetyVerdict verdict, RiskLevel risk = RiskLevel.Medium, string? sha256 = null) => new()
    {
        IncidentId = IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        PlaybookSha256 = sha256 ?? PlaybookSha256,
        Verdict = verdict,
        Risk = risk,
        Findings = verdict == SafetyVerdict.Pass ? [] :
        [
            new SafetyFinding
            {
                Rule = verdict == SafetyVerdict.Block ? "SG001" : "SG020",
                Severity = verdict == SafetyVerdict.Block ? FindingSeverity.Block : FindingSeverity.Warning,
                Path = "plays[0].tasks[0]",
                Message = verdict == SafetyVerdict.Block ? "shell module is not allowed" : "task changes the firewall",
                Line = 4,
            },
        ],
    };

    public Task Verify(SafetyVerdict verdict, RiskLevel risk = RiskLevel.Medium) => Deliver(Verdict(verdict, risk));

    public SubmitApprovalDecision Decision(string approver, ApprovalDecision decision = ApprovalDecision.Approve, string? sha256 = null, bool forApply = false, string? comment = null) => new()
    {
        IncidentId = IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        DecisionId = NewId.NextGuid(),
        Approver = approver,
        Decision = decision,
        Comment = comment,
        PlaybookSha256 = sha256 ?? PlaybookSha256,
        ForApply = forApply,
    };

    public Task Decide(string approver, ApprovalDecision decision = ApprovalDecision.Approve, string? sha256 = null, bool forApply = false, string? comment = null) =>
        Deliver(Decision(approver, decision, sha256, forApply, comment));

    public RecordCabDecision Cab(CabDecision decision, string? sha256 = null) => new()
    {
        IncidentId = IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        ChangeRequestId = "CHG0031337",
        Decision = decision,
        DecidedBy = "cab-chair",
        Comment = decision == CabDecision.Approved ? "approved in the weekly CAB" : "too broad",
        PlaybookSha256 = sha256 ?? PlaybookSha256,
    };

    /// <summary>Simulates the timer sweeper: the saga's current timer of that kind has come due.</summary>
    public Task FireTimer(string kind)
    {
        var id = (kind == TimerKinds.ApprovalExpiry ? State.ApprovalTimerId : State.StageTimerId)
            ?? throw new InvalidOperationException($"no current timer for {kind}");
        return FireTimer(kind, id);
    }

    public Task FireTimer(string kind, Guid timerId) => Deliver(new IncidentTimerElapsed
    {
        IncidentId = IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        TimerId = timerId,
        Kind = kind,
        DueAt = DateTimeOffset.UtcNow,
    });

    public PlaybookRunCompleted RunResult(bool succeeded, RunMode? mode = null, Guid? runId = null) => new()
    {
        IncidentId = IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        RunId = runId ?? State.RunId!.Value,
        PlaybookSha256 = PlaybookSha256,
        Mode = mode ?? State.RunMode,
        Succeeded = succeeded,
        ExitCode = succeeded ? 0 : 2,
        Hosts = [new HostRunResult { Host = "web-01", Ok = 3, Changed = 1, Failed = succeeded ? 0 : 1 }],
        OutputSha256 = new string('a', 64),
        ResultJson = "{\"plays\":[]}",
        DurationSeconds = 4.2,
    };

    public PlaybookRunFailed RunFailure(string reason, bool refused = false, bool retryable = false) => new()
    {
        IncidentId = IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        RunId = State.RunId!.Value,
        Mode = State.RunMode,
        Reason = reason,
        Refused = refused,
        Retryable = retryable,
        Attempt = State.RunAttempt,
    };

    /// <summary>Alert, generation and a verdict that lets the playbook through.</summary>
    public async Task ReachAwaitingApproval(RiskLevel risk = RiskLevel.Medium, SafetyVerdict verdict = SafetyVerdict.Pass)
    {
        await RaiseAlert();
        await Generate();
        await Verify(verdict, risk);
        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), CurrentState);
    }

    /// <summary>Approved by everyone the options require, check run requested.</summary>
    public async Task ReachCheckRunning()
    {
        await ReachAwaitingApproval();
        await Decide("alice");
        if (Options.DualControlEnabled)
        {
            await Decide("bob");
        }

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), CurrentState);
    }

    public async Task ReachCheckSucceeded()
    {
        await ReachCheckRunning();
        await Deliver(RunResult(succeeded: true));
        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), CurrentState);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
