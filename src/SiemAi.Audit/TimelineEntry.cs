namespace SiemAi.Audit;

/// <summary>One line of the replayed timeline: the event, who caused it, and the status it left the incident in.</summary>
public sealed record TimelineEntry(long Version, DateTimeOffset RecordedAt, string EventType, string Actor, string StatusAfter, string Summary);
