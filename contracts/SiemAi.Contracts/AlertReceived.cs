namespace SiemAi.Contracts;

/// <summary>A validated, normalised alert assigned to an incident (new or, within the dedup window, an open one).</summary>
public sealed record AlertReceived
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required NormalizedAlert Alert { get; init; }
}
