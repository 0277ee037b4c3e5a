namespace SiemAi.Contracts;

public sealed record RunPlaybook
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required Guid RunId { get; init; }
    public required string PlaybookYaml { get; init; }
    /// <summary>The hash that passed the safety gate and was approved; the runner re-hashes and refuses a mismatch.</summary>
    public required string PlaybookSha256 { get; init; }
    public RunMode Mode { get; init; } = RunMode.Check;
    public int Attempt { get; init; } = 1;
    public IReadOnlyList<string> Approvers { get; init; } = [];
}
