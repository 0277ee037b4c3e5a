namespace SiemAi.Contracts;

/// <summary>The run could not be made or finished (refused hash, timeout, ansible missing, ...).</summary>
public sealed record PlaybookRunFailed
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required Guid RunId { get; init; }
    public required RunMode Mode { get; init; }
    public required string Reason { get; init; }
    /// <summary>True when the runner refused the bytes (hash mismatch): never retried.</summary>
    public bool Refused { get; init; }
    public bool Retryable { get; init; }
    public int Attempt { get; init; } = 1;
}
