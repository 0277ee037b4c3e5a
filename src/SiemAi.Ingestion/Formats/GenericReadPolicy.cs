using SiemAi.Ingestion.Mapping;

namespace SiemAi.Ingestion.Formats;

/// <summary>How a generic body is read for one producer: strictly or liberally, with its field mapping, and what a carrier adds.</summary>
public sealed record GenericReadPolicy
{
    public static readonly GenericReadPolicy Liberal = new();

    /// <summary>Only the schema's camelCase names; anything else is refused (the per-key strict mode).</summary>
    public bool Strict { get; init; }

    public FieldMappingProfile? Mapping { get; init; }

    public AlertDefaults? Defaults { get; init; }

    /// <summary>The policy of an API key (<c>Ingestion:ApiKeys:&lt;name&gt;:Strict</c> and <c>:FieldMapping</c>).</summary>
    public static GenericReadPolicy ForKey(IngestionOptions options, string? keyName) => new()
    {
        Strict = keyName is not null && options.ApiKeys.TryGetValue(keyName, out var key) && key.Strict,
        Mapping = FieldMappingProfile.ForKey(options, keyName),
    };
}
