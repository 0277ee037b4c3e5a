namespace SiemAi.Ingestion;

/// <summary>
/// One alert that RabbitMQ confirmed, as listed in the webhook's 202 body. <see cref="UnmappedFields"/> names the
/// producer fields no known field took: they are kept under the alert's <c>fields</c> by these names.
/// </summary>
public sealed record AcceptedAlert(Guid AlertId, string Format, string Fingerprint, Guid IncidentId, bool NewIncident, bool Duplicate)
{
    public IReadOnlyList<string> UnmappedFields { get; init; } = [];
}
