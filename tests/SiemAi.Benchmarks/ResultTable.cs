using System.Globalization;
using System.Text;

namespace SiemAi.Benchmarks;

/// <summary>Renders rows as a Markdown table: readable on a terminal and in <c>docs/performance.md</c> alike.</summary>
public static class ResultTable
{
    public static string Render(IEnumerable<BenchmarkRow> rows)
    {
        var lines = new List<string[]> { new[] { "Scenario", "Figure", "Ours", "Baseline (same run)", "Ratio", "Goal", "Result" } };
        foreach (var row in rows)
        {
            lines.Add(
            [
                row.Scenario,
                row.Figure,
                $"{BenchmarkRow.Format(row.Value)} {row.Unit}",
                row.Baseline is { } b ? $"{BenchmarkRow.Format(b)} {row.Unit}" : "—",
                row.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "—",
                row.Goal,
                !row.HasGoal ? "info" : row.Pass ? "pass" : "MISS",
            ]);
        }

        var widths = Enumerable.Range(0, lines[0].Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append('|');
            for (var c = 0; c < widths.Length; c++)
            {
                text.Append(' ').Append(lines[i][c].PadRight(widths[c])).Append(" |");
            }

            text.AppendLine();
            if (i == 0)
            {
                text.Append('|');
                foreach (var w in widths)
                {
                    text.Append(new string('-', w + 2)).Append('|');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }
}
