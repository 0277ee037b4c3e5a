namespace SiemAi.Ingestion.Incidents;

/// <summary>
/// Where an alert went: its incident, whether the alert opened it, and the incident's alert count after it
/// (for a duplicate alert id, the count is null: nothing was counted again).
/// </summary>
public sealed record IncidentAssignment(Guid IncidentId, bool OpenedIncident, long? AlertCount, bool DuplicateAlert);
