namespace SiemAi.Ingestion;

/// <summary>One alert that RabbitMQ confirmed, as listed in the webhook's 202 body.</summary>
public sealed record AcceptedAlert(Guid AlertId, string Format, string Fingerprint, Guid IncidentId, bool NewIncident, bool Duplicate);
