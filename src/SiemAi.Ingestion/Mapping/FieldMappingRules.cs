namespace SiemAi.Ingestion.Mapping;

/// <summary>
/// The start-up check of the field mappings and the keys that name them, shared by the host's options
/// validation and <c>siemai ingest test</c> (which reads the same settings without any key hash).
/// </summary>
public static class FieldMappingRules
{
    public static List<string> Errors(IngestionOptions options)
    {
        var errors = new List<string>();
        foreach (var (name, settings) in options.FieldMappings)
        {
            FieldMappingProfile.TryCreate(name, settings, errors);
        }

        foreach (var (keyName, key) in options.ApiKeys)
        {
            if (key is not null && !string.IsNullOrWhiteSpace(key.FieldMapping) && !options.FieldMappings.ContainsKey(key.FieldMapping))
            {
                errors.Add($"Ingestion:ApiKeys:{keyName}:FieldMapping names '{key.FieldMapping}', which is not a profile under Ingestion:FieldMappings.");
            }
        }

        return errors;
    }
}
