namespace SiemAi.Generation.Templates;

// Shapes of metadata.yml as written on disk (snake_case); mapped to the public records after checks.
internal sealed class MetadataDocument
{
    public string? Id { get; set; }
    public string? Version { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Kind { get; set; }
    public List<string>? Mitre { get; set; }
    public MatchDocument? Match { get; set; }
    public List<ParameterDocument>? Parameters { get; set; }
    public string? Risk { get; set; }
    public string? Reversibility { get; set; }
}

internal sealed class MatchDocument
{
    public List<string>? RuleIds { get; set; }
    public List<string>? Techniques { get; set; }
    public List<string>? Categories { get; set; }
    public List<string>? Keywords { get; set; }
}

internal sealed class ParameterDocument
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public List<string>? From { get; set; }
    public bool Required { get; set; } = true;
    public string? Default { get; set; }
    public List<string>? Forbidden { get; set; }
    public List<string>? AllowedPrefixes { get; set; }
    public string? Description { get; set; }
}
