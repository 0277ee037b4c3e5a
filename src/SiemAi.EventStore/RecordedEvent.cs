namespace SiemAi.EventStore;

/// <summary>An event as stored: <see cref="Data"/> and <see cref="Metadata"/> are jsonb's canonical text.</summary>
public sealed record RecordedEvent(
    long Sequence,
    Guid EventId,
    string StreamId,
    long Version,
    string Type,
    string Data,
    string Metadata,
    DateTimeOffset RecordedAt,
    byte[]? PreviousHash,
    byte[] Hash);
