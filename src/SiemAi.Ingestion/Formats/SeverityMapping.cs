using System.Globalization;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// Every format's severity mapped onto the one <see cref="Severity"/> scale. The tables are documented
/// in docs/ingestion.md; change both together.
/// </summary>
public static class SeverityMapping
{
    /// <summary>Severity words used across products (Splunk ES urgency, Kibana, Alertmanager labels, syslog names).</summary>
    public static Severity? FromWord(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "info" or "informational" or "information" or "debug" or "none" or "notice" or "unknown" or "ok" => Severity.Info,
        "low" or "minor" => Severity.Low,
        "medium" or "moderate" or "warning" or "warn" or "average" => Severity.Medium,
        "high" or "error" or "err" or "major" or "severe" => Severity.High,
        "critical" or "crit" or "fatal" or "emergency" or "emerg" or "alert" or "very-high" or "veryhigh" or "disaster" or "page" => Severity.Critical,
        _ => null,
    };

    /// <summary>Wazuh rule levels 0-15 (also used for bare numbers from generic and broker producers).</summary>
    public static Severity FromWazuhLevel(int level) => level switch
    {
        <= 3 => Severity.Info,
        <= 6 => Severity.Low,
        <= 9 => Severity.Medium,
        <= 12 => Severity.High,
        _ => Severity.Critical,
    };

    /// <summary>CEF severity 0-10 (ArcSight: 0-3 Low, 4-6 Medium, 7-8 High, 9-10 Very-High); 0 stays Info.</summary>
    public static Severity FromCef(int severity) => severity switch
    {
        <= 0 => Severity.Info,
        <= 3 => Severity.Low,
        <= 6 => Severity.Medium,
        <= 8 => Severity.High,
        _ => Severity.Critical,
    };

    /// <summary>Syslog severity 0 (emergency) - 7 (debug) from the PRI value.</summary>
    public static Severity FromSyslog(int severity) => severity switch
    {
        <= 2 => Severity.Critical,
        3 => Severity.High,
        4 => Severity.Medium,
        5 => Severity.Low,
        _ => Severity.Info,
    };

    /// <summary>Elastic detection-rule risk score 0-100 (Kibana's own bands: 0-21 low, 22-47 medium, 48-73 high, 74-100 critical).</summary>
    public static Severity FromRiskScore(double score) => score switch
    {
        < 22 => Severity.Low,
        < 48 => Severity.Medium,
        < 74 => Severity.High,
        _ => Severity.Critical,
    };

    /// <summary>Splunk's numeric alert severity 1 debug, 2 info, 3 warn, 4 error, 5 severe, 6 fatal.</summary>
    public static Severity FromSplunkNumber(int severity) => severity switch
    {
        <= 2 => Severity.Info,
        3 => Severity.Medium,
        4 => Severity.High,
        _ => Severity.Critical,
    };

    /// <summary>
    /// The generic and broker contracts' severity: a word, or a Wazuh level 0-15 (documented range; a bigger
    /// number is a producer's mistake, not a critical alert). Null when neither.
    /// </summary>
    public static Severity? ParseWazuhScale(string? value) =>
        double.TryParse(value?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var level) && Math.Round(level) > 15
            ? null
            : Parse(value, FromWazuhLevel);

    /// <summary>A word, or a number read with <paramref name="numeric"/>; null when neither.</summary>
    public static Severity? Parse(string? value, Func<int, Severity> numeric)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number < 0 ? null : numeric(number);
        }

        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && real >= 0)
        {
            return numeric((int)Math.Round(real));
        }

        return FromWord(value);
    }
}
