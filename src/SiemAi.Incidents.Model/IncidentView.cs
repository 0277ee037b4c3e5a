using SiemAi.Contracts;

namespace SiemAi.Incidents.Model;

/// <summary>
/// An incident as its events say it is at <see cref="Version"/>: built only by <see cref="IncidentProjection"/>.
/// It knows what the stream records; who raised the incident is not in the stream (it is the saga's, from the alert's fields).
/// </summary>
public sealed class IncidentView : IApprovalSubject
{
    internal IncidentView(string streamId) => StreamId = streamId;

    public Guid? IncidentId => IncidentStream.IncidentIdOf(StreamId);
    public string StreamId { get; }
    public long Version { get; internal set; }
    public DateTimeOffset? AsOf { get; internal set; }
    public IncidentStatus Status { get; internal set; } = IncidentStatus.None;
    public string? Title { get; internal set; }
    public Severity? Severity { get; internal set; }
    public string? Asset { get; internal set; }
    public int AlertCount { get; internal set; }
    public string? PlaybookSha256 { get; internal set; }
    public string? PlaybookTitle { get; internal set; }
    public int Regenerations { get; internal set; }
    public SafetyVerdict? Verdict { get; internal set; }
    public RiskLevel? Risk { get; internal set; }
    public int RequiredApprovals { get; internal set; }
    public bool NeedsCab { get; internal set; }
    public DateTimeOffset? Deadline { get; internal set; }
    public List<IncidentApproval> Approvals { get; } = [];
    public List<string> EditorList { get; } = [];
    public CabDecision? CabDecision { get; internal set; }
    public string? CabChangeRequestId { get; internal set; }
    public List<IncidentRun> Runs { get; } = [];
    public IncidentOutcome? Outcome { get; internal set; }
    public string? ClosedReason { get; internal set; }

    string? IApprovalSubject.RaisedBy => null;

    IEnumerable<string> IApprovalSubject.Editors => EditorList;

    public IEnumerable<string> ApproversFor(bool forApply) => Approvals.Where(a => a.ForApply == forApply).Select(a => a.Approver);
}
