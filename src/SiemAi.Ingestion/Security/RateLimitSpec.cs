using System.Globalization;
using System.Text.RegularExpressions;

namespace SiemAi.Ingestion.Security;

/// <summary>The seed's rate limit form: "100 per minute", "10 per second", "5000/hour", "none".</summary>
public sealed partial record RateLimitSpec(int Permits, TimeSpan Window)
{
    [GeneratedRegex(@"^\s*(\d{1,9})\s*(?:per|/)\s*(second|sec|s|minute|min|m|hour|h|day|d)s?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Form();

    /// <summary>Null when the limit is switched off ("none", "off", "unlimited", "0").</summary>
    public static bool TryParse(string? text, out RateLimitSpec? spec)
    {
        spec = null;
        if (string.IsNullOrWhiteSpace(text) || text.Trim().ToLowerInvariant() is "none" or "off" or "unlimited" or "0")
        {
            return true;
        }

        var match = Form().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var permits) || permits <= 0)
        {
            return false;
        }

        var window = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "second" or "sec" or "s" => TimeSpan.FromSeconds(1),
            "minute" or "min" or "m" => TimeSpan.FromMinutes(1),
            "hour" or "h" => TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(1),
        };
        spec = new RateLimitSpec(permits, window);
        return true;
    }
}
