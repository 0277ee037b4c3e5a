using System.Globalization;

namespace SiemAi.Testing;

/// <summary>The Prometheus text exposition format, read the way a scraper would: name, labels, value.</summary>
public sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples().Where(s => s.Name == name && labels.All(l => s.Labels.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal))).Sum(s => s.Value);

    public bool Has(string namePrefix) => Samples().Any(s => s.Name.StartsWith(namePrefix, StringComparison.Ordinal));

    private IEnumerable<(string Name, string Labels, double Value)> Samples()
    {
        foreach (var raw in Text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf('}') is var close and > 0 ? line.IndexOf(' ', close) : line.IndexOf(' ', StringComparison.Ordinal);
            var name = brace > 0 && brace < space ? line[..brace] : line[..space];
            var labels = brace > 0 && brace < space ? line[brace..space] : string.Empty;
            var valueText = line[(space + 1)..].Split(' ')[0];
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                yield return (name, labels, value);
            }
        }
    }
}
