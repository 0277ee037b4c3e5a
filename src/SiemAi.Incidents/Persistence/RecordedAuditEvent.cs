namespace SiemAi.Incidents.Persistence;

/// <summary>What the log says about an audit event once its transaction committed (never its data: no secrets, no alert payloads).</summary>
public sealed record RecordedAuditEvent(Guid IncidentId, long Version, string EventType, string? Actor, string? PlaybookSha256);
