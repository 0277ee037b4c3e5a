namespace SiemAi.Contracts;

/// <summary>Published on every state change, for anyone who wants to follow along (dashboards, chat-ops).</summary>
public sealed record IncidentStatusChanged
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public string? Reason { get; init; }
}
