using SiemAi.Incidents.Model.Events;

namespace SiemAi.Incidents.Model;

/// <summary>A typed event as its stream holds it: version, time, stored name, actor and the playbook it is about.</summary>
public sealed record IncidentEventEnvelope(long Version, DateTimeOffset RecordedAt, string Type, string Actor, string? PlaybookSha256, IIncidentEvent Event);
