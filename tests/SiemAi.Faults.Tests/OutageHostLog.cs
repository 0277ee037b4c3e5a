using System.Text.Json;
using System.Text.RegularExpressions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// What the host logged at warning level and above during an outage, grouped by message with ids and numbers
/// blanked: shows in a passing run's output that the outage was felt (retries, relay passes) and survived.
/// </summary>
public static partial class OutageHostLog
{
    public static string Summary(string log, int top = 6)
    {
        var messages = new List<string>();
        foreach (var line in log.Split('\n'))
        {
            if (!line.StartsWith('{') || !line.Contains("\"@l\":", StringComparison.Ordinal))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var level = json.RootElement.GetProperty("@l").GetString();
            var message = Variable().Replace(json.RootElement.TryGetProperty("@m", out var m) ? m.GetString() ?? "" : "", "#");
            messages.Add($"{level}: {message[..Math.Min(message.Length, 90)]}");
        }

        return messages.Count == 0
            ? "nothing at warning level or above"
            : $"{messages.Count} lines at warning level or above: "
              + string.Join("; ", messages.GroupBy(x => x).OrderByDescending(g => g.Count()).Take(top).Select(g => $"{g.Count()}× {g.Key}"));
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\\d+")]
    private static partial Regex Variable();
}
