namespace SiemAi.Contracts;

/// <summary>An approver's decision, already authenticated by the approval API.</summary>
public sealed record SubmitApprovalDecision
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>Unique per decision; a resubmitted decision with the same id is recorded once.</summary>
    public required Guid DecisionId { get; init; }
    public required string Approver { get; init; }
    public required ApprovalDecision Decision { get; init; }
    public string? Comment { get; init; }
    /// <summary>The hash of the playbook the approver reviewed; it must be the one under review.</summary>
    public required string PlaybookSha256 { get; init; }
    /// <summary>True when this approves a check run's result for a real (apply) run.</summary>
    public bool ForApply { get; init; }
}
