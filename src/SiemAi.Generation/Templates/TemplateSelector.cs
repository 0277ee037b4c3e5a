using SiemAi.Contracts;

namespace SiemAi.Generation.Templates;

/// <summary>
/// Scores templates against an alert. Each signal is a probability-like weight and they combine as
/// 1 - Π(1 - w): several weak signals add up, none alone reaches 1, and the score stays in 0..1.
/// A rule id is near-certain, a MITRE technique strong, a category or keyword weak on its own.
/// </summary>
public sealed class TemplateSelector
{
    public const double RuleIdWeight = 0.95;
    public const double TechniqueWeight = 0.7;
    public const double RelatedTechniqueWeight = 0.5;
    public const double CategoryWeight = 0.45;
    public const double KeywordWeight = 0.2;
    public const int MaxKeywordHits = 3;

    private readonly TemplateLibrary _library;

    public TemplateSelector(TemplateLibrary library) => _library = library;

    /// <summary>All remediation templates with a positive score, best first.</summary>
    public IReadOnlyList<TemplateScore> Rank(NormalizedAlert alert) =>
        _library.Templates
            .Select(t => Score(t, alert))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Template.Id, StringComparer.Ordinal)
            .ToList();

    public static TemplateScore Score(PlaybookTemplate template, NormalizedAlert alert)
    {
        var match = template.Metadata.Match;
        var weights = new List<double>();
        var signals = new List<string>();

        if (alert.RuleId is { Length: > 0 } ruleId && match.RuleIds.Any(r => string.Equals(r, ruleId.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            weights.Add(RuleIdWeight);
            signals.Add("rule-id");
        }

        var techniqueWeight = 0.0;
        foreach (var technique in alert.MitreTechniques.Select(t => t.Trim().ToUpperInvariant()))
        {
            foreach (var wanted in match.Techniques.Select(t => t.ToUpperInvariant()))
            {
                if (technique == wanted)
                {
                    techniqueWeight = Math.Max(techniqueWeight, TechniqueWeight);
                }
                else if (Parent(technique) == Parent(wanted))
                {
                    // T1110.001 vs T1110 or T1110.003: same attack family, different sub-technique.
                    techniqueWeight = Math.Max(techniqueWeight, RelatedTechniqueWeight);
                }
            }
        }

        if (techniqueWeight > 0)
        {
            weights.Add(techniqueWeight);
            signals.Add(techniqueWeight == TechniqueWeight ? "technique" : "related-technique");
        }

        if (alert.Category is { Length: > 0 } category && match.Categories.Any(c => NormalizeCategory(c) == NormalizeCategory(category)))
        {
            weights.Add(CategoryWeight);
            signals.Add("category");
        }

        var text = string.Join('\n', alert.Title, alert.RuleName, alert.Description, alert.Category);
        var hits = match.Keywords.Where(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)).Take(MaxKeywordHits).ToList();
        foreach (var hit in hits)
        {
            weights.Add(KeywordWeight);
            signals.Add($"keyword:{hit}");
        }

        var miss = weights.Aggregate(1.0, (acc, w) => acc * (1 - w));
        return new TemplateScore(template, Math.Round(1 - miss, 4), signals);
    }

    private static string Parent(string technique)
    {
        var dot = technique.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? technique : technique[..dot];
    }

    private static string NormalizeCategory(string category) =>
        category.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
}
