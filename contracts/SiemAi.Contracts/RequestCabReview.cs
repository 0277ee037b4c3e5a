namespace SiemAi.Contracts;

/// <summary>Asks the approvals module to open a change request with the CAB for a high-risk playbook.</summary>
public sealed record RequestCabReview
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string Title { get; init; }
    public required RiskLevel Risk { get; init; }
    public required string PlaybookSha256 { get; init; }
    public IReadOnlyList<string> Approvers { get; init; } = [];
}
