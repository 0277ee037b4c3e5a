namespace SiemAi.Incidents.Persistence;

/// <summary>Another transition of the same incident committed first; the message is retried against the new state.</summary>
public sealed class IncidentConcurrencyException(Guid incidentId, string detail)
    : Exception($"Incident {incidentId} changed concurrently: {detail}")
{
    public Guid IncidentId { get; } = incidentId;
}
