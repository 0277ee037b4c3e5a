namespace SiemAi.EventStore;

/// <summary>An event to append: <paramref name="Type"/> is snake_case, <paramref name="Data"/> a JSON object.</summary>
public sealed record EventData(Guid EventId, string Type, string Data, EventMetadata Metadata);
