using System.Text.RegularExpressions;

namespace SiemAi.Ingestion.Formats;

/// <summary>Pulls ATT&amp;CK technique ids (T1110, T1059.001) out of whatever a producer sends: lists, comma lists, prose.</summary>
internal static partial class MitreText
{
    [GeneratedRegex(@"\bT\d{4}(?:\.\d{3})?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TechniqueId();

    public static IReadOnlyList<string> Extract(IEnumerable<string?> values) =>
        values.Where(v => v is not null)
            .SelectMany(v => TechniqueId().Matches(v!).Select(m => m.Value.ToUpperInvariant()))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
