using SiemAi.Incidents.Model;

namespace SiemAi.Audit;

/// <summary>An incident as its events alone say it was at <see cref="Version"/>: nothing here comes from the read model.</summary>
public sealed record ReplayedIncident
{
    public required Guid? IncidentId { get; init; }
    public required string StreamId { get; init; }
    public required long Version { get; init; }
    public required DateTimeOffset? AsOf { get; init; }
    public required string Status { get; init; }
    public string? Title { get; init; }
    public string? Severity { get; init; }
    public string? Asset { get; init; }
    public int AlertCount { get; init; }
    public string? PlaybookSha256 { get; init; }
    public string? PlaybookTitle { get; init; }
    public int Regenerations { get; init; }
    public string? Verdict { get; init; }
    public string? Risk { get; init; }
    public int RequiredApprovals { get; init; }
    public IReadOnlyList<IncidentApproval> Approvals { get; init; } = [];
    public string? CabDecision { get; init; }
    public IReadOnlyList<IncidentRun> Runs { get; init; } = [];
    public string? Outcome { get; init; }
    public string? ClosedReason { get; init; }
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];
}
