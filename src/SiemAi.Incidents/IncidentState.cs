using System.Text.Json.Serialization;
using MassTransit;
using SiemAi.Contracts;
using SiemAi.Incidents.Audit;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Timers;

namespace SiemAi.Incidents;

/// <summary>One incident's saga state, persisted as JSON in <c>incident_sagas</c> with an optimistic version.</summary>
public sealed class IncidentState : SagaStateMachineInstance, ISagaVersion, IApprovalSubject
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = nameof(IncidentStatus.Initial);
    public int Version { get; set; }

    /// <summary>The incident stream's version after this state's events; appends expect exactly this.</summary>
    public long StreamVersion { get; set; }

    /// <summary>The last state entered, so a transition can say where it came from.</summary>
    public string Status { get; set; } = nameof(IncidentStatus.Initial);

    public NormalizedAlert? Alert { get; set; }
    public int AlertCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The principal that submitted the first alert (an API key name or producer), never an approver of it.</summary>
    public string? RaisedBy { get; set; }

    public string? PlaybookYaml { get; set; }
    public string? PlaybookSha256 { get; set; }
    public string? PlaybookTitle { get; set; }
    public GeneratorProvenance? Provenance { get; set; }
    public int GenerationAttempt { get; set; }
    /// <summary>Attempts within the current generation round (reset by a regeneration); GenerationAttempt never goes back.</summary>
    public int RoundAttempts { get; set; }
    public int Regenerations { get; set; }
    public string? RegenerationComment { get; set; }

    public SafetyVerdict? Verdict { get; set; }
    public RiskLevel? Risk { get; set; }
    public List<SafetyFinding> Findings { get; set; } = [];

    public int RequiredApprovals { get; set; }
    public bool NeedsCab { get; set; }
    public List<ApprovalEntry> Approvals { get; set; } = [];
    /// <summary>Approvers who asked for a regeneration: they shaped the playbook, so they may not approve it.</summary>
    public List<string> Editors { get; set; } = [];
    public DateTimeOffset? ApprovalDeadline { get; set; }
    public Guid? ApprovalTimerId { get; set; }
    public Guid? StageTimerId { get; set; }
    public string? CabChangeRequestId { get; set; }
    public CabDecision? CabDecision { get; set; }

    public Guid? RunId { get; set; }
    public int RunAttempt { get; set; }
    public RunMode RunMode { get; set; }
    public bool? LastRunSucceeded { get; set; }
    public List<HostRunResult> LastRunHosts { get; set; } = [];
    public string? ClosedReason { get; set; }

    IEnumerable<string> IApprovalSubject.Editors => Editors;

    public IEnumerable<string> ApproversFor(bool forApply) => Approvals.Where(a => a.ForApply == forApply).Select(a => a.Approver);

    /// <summary>Audit events this transition adds; drained by the repository into the stream, same transaction.</summary>
    [JsonIgnore]
    public List<AuditRecord> PendingEvents { get; } = [];

    /// <summary>Timers this transition schedules or cancels; drained by the repository, same transaction.</summary>
    [JsonIgnore]
    public List<TimerRequest> PendingTimers { get; } = [];
}
