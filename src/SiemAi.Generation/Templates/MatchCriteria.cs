namespace SiemAi.Generation.Templates;

/// <summary>What makes an alert a fit for a template. Comparisons ignore case.</summary>
public sealed record MatchCriteria
{
    public IReadOnlyList<string> RuleIds { get; init; } = [];
    public IReadOnlyList<string> Techniques { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>Words or phrases looked for in the alert's title, rule name, description and category.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
}
