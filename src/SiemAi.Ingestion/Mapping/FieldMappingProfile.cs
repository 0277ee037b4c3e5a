using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Mapping;

/// <summary>
/// One operator-configured mapping (<c>Ingestion:FieldMappings:&lt;name&gt;</c>): normalized field → JSON pointer
/// into a generic body. What a pointer names fills that field before any spelling is looked at, and is not
/// listed as unmapped; the rest of the body is read as usual.
/// </summary>
public sealed class FieldMappingProfile
{
    private FieldMappingProfile(string name, IReadOnlyList<FieldMappingEntry> entries)
    {
        Name = name;
        Entries = entries;
    }

    public string Name { get; }

    public IReadOnlyList<FieldMappingEntry> Entries { get; }

    /// <summary>Compiles a profile; <paramref name="errors"/> names each wrong setting (<c>Ingestion:FieldMappings:p:field</c>).</summary>
    public static FieldMappingProfile? TryCreate(string name, IReadOnlyDictionary<string, string>? settings, List<string> errors)
    {
        var entries = new List<FieldMappingEntry>();
        var before = errors.Count;
        if (settings is null || settings.Count == 0)
        {
            errors.Add($"Ingestion:FieldMappings:{name} maps nothing: give at least one <field> = <JSON pointer>.");
            return null;
        }

        foreach (var (field, pointerText) in settings)
        {
            var setting = $"Ingestion:FieldMappings:{name}:{field}";
            if (FieldSpellings.MappingTarget(field) is not { } target)
            {
                errors.Add($"{setting}: '{field}' is not a normalized field ({string.Join(", ", FieldSpellings.Targets)}).");
                continue;
            }

            if (!JsonPointer.TryParse(pointerText, out var pointer, out var problem))
            {
                errors.Add($"{setting}: '{pointerText}' is not a JSON pointer: {problem}.");
                continue;
            }

            if (entries.FirstOrDefault(e => e.Target == target) is { } twice)
            {
                errors.Add($"{setting}: {target} is already mapped from {twice.Pointer} in this profile.");
                continue;
            }

            entries.Add(new FieldMappingEntry(target, pointer!));
        }

        return errors.Count == before ? new FieldMappingProfile(name, entries) : null;
    }

    /// <summary>The profile a key names, compiled from the current options; null when the key names none.</summary>
    public static FieldMappingProfile? ForKey(IngestionOptions options, string? keyName)
    {
        if (keyName is null || !options.ApiKeys.TryGetValue(keyName, out var key) || string.IsNullOrWhiteSpace(key.FieldMapping))
        {
            return null;
        }

        return Named(options, key.FieldMapping);
    }

    /// <summary>A profile by name; throws when it is missing or wrong (the start-up check names the setting first).</summary>
    public static FieldMappingProfile Named(IngestionOptions options, string name)
    {
        var errors = new List<string>();
        var profile = options.FieldMappings.TryGetValue(name, out var settings)
            ? TryCreate(name, settings, errors)
            : null;
        return profile ?? throw new InvalidOperationException(errors.Count > 0
            ? string.Join(" ", errors)
            : $"Ingestion:FieldMappings:{name} is not configured.");
    }
}
