namespace SiemAi.Contracts;

public sealed record PlaybookGenerationFailed
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string Reason { get; init; }
    public int Attempt { get; init; } = 1;
    /// <summary>False when trying again cannot help (e.g. the alert lacks what every template needs).</summary>
    public bool Retryable { get; init; } = true;
}
