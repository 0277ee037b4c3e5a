using SiemAi.Incidents.Model;
using SiemAi.Incidents.Model.Events;

namespace SiemAi.Incidents.Audit;

/// <summary>A typed audit event a transition wants appended to the incident's stream, with its actor and playbook hash.</summary>
public sealed record AuditRecord(IIncidentEvent Event, string Actor, string? PlaybookSha256)
{
    /// <summary>The stored name, from the one registry.</summary>
    public string Type => IncidentEvents.NameOf(Event);
}
