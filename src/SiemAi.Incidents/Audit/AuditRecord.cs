namespace SiemAi.Incidents.Audit;

/// <summary>
/// An audit event a transition wants appended to the incident's stream (type in snake_case as
/// operators query it, data serialised with snake_case keys).
/// </summary>
public sealed record AuditRecord(string Type, object Data, string Actor, string? PlaybookSha256);
