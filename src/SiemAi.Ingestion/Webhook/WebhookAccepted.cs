namespace SiemAi.Ingestion.Webhook;

/// <summary>The 202 body: every alert of the request, each confirmed by RabbitMQ.</summary>
public sealed record WebhookAccepted(IReadOnlyList<AcceptedAlert> Accepted);
