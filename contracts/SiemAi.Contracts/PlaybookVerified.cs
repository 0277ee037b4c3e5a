namespace SiemAi.Contracts;

public sealed record PlaybookVerified
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string PlaybookSha256 { get; init; }
    public required SafetyVerdict Verdict { get; init; }
    public required RiskLevel Risk { get; init; }
    public IReadOnlyList<SafetyFinding> Findings { get; init; } = [];
}
