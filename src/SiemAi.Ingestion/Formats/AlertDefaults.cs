namespace SiemAi.Ingestion.Formats;

/// <summary>
/// Values a carrier knows about the alert it carries (a HEC envelope's host, source and time); the alert's own
/// fields win. Extra fields are added under their names (e.g. <c>hec.sourcetype</c>).
/// </summary>
public sealed record AlertDefaults
{
    public string? SourceSystem { get; init; }

    public string? Asset { get; init; }

    public DateTimeOffset? ObservedAt { get; init; }

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}
