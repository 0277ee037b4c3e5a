namespace SiemAi.EventStore;

/// <summary>One stream's share of a batch append.</summary>
public sealed record StreamAppend(string StreamId, ExpectedVersion Expected, IReadOnlyList<EventData> Events);
