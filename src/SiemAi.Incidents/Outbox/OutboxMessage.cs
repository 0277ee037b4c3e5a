namespace SiemAi.Incidents.Outbox;

/// <summary>A row of the outbox table: a message committed with a transition, waiting to be published.</summary>
public sealed record OutboxMessage(Guid MessageId, string MessageType, string Body, Guid? IncidentId);
