namespace SiemAi.Contracts;

/// <summary>A deadline from the PostgreSQL timer table has passed (approval expiry, stage timeout).</summary>
public sealed record IncidentTimerElapsed
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required Guid TimerId { get; init; }
    /// <summary>approval_expiry, generation_timeout, verification_timeout, run_timeout, retry.</summary>
    public required string Kind { get; init; }
    public required DateTimeOffset DueAt { get; init; }
}
