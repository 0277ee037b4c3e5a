using System.Globalization;
using SiemAi.Contracts;

namespace SiemAi.Generation.Templates;

/// <summary>Reads a template parameter's source (e.g. <c>SourceIp</c>, <c>Fields.src_ip</c>, <c>Process:basename</c>) from an alert.</summary>
public static class AlertFields
{
    private const string BasenameSuffix = ":basename";

    private static readonly Dictionary<string, Func<NormalizedAlert, string?>> Readers = new(StringComparer.Ordinal)
    {
        ["RuleId"] = a => a.RuleId,
        ["RuleName"] = a => a.RuleName,
        ["Title"] = a => a.Title,
        ["Description"] = a => a.Description,
        ["Asset"] = a => a.Asset,
        ["User"] = a => a.User,
        ["SourceIp"] = a => a.SourceIp,
        ["DestinationIp"] = a => a.DestinationIp,
        ["DestinationPort"] = a => a.DestinationPort?.ToString(CultureInfo.InvariantCulture),
        ["Process"] = a => a.Process,
        ["FilePath"] = a => a.FilePath,
        ["FileHash"] = a => a.FileHash,
        ["Category"] = a => a.Category,
        ["SourceSystem"] = a => a.SourceSystem,
        ["Severity"] = a => a.Severity.ToString(),
    };

    /// <summary>The fields an attacker can influence, by name, for tests and for LLM output checks.</summary>
    public static IReadOnlyCollection<string> Names => Readers.Keys;

    public static bool IsKnownSource(string source)
    {
        var field = StripModifier(source);
        return Readers.ContainsKey(field) || (field.StartsWith("Fields.", StringComparison.Ordinal) && field.Length > "Fields.".Length);
    }

    /// <summary>The trimmed value, or null when the alert has none.</summary>
    public static string? Read(NormalizedAlert alert, string source)
    {
        var field = StripModifier(source);
        string? value;
        if (field.StartsWith("Fields.", StringComparison.Ordinal))
        {
            value = alert.Fields.GetValueOrDefault(field["Fields.".Length..]);
        }
        else
        {
            value = Readers.TryGetValue(field, out var reader) ? reader(alert) : null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (source.EndsWith(BasenameSuffix, StringComparison.Ordinal))
        {
            var slash = value.LastIndexOf('/');
            value = slash >= 0 ? value[(slash + 1)..] : value;
            return value.Length == 0 ? null : value;
        }

        return value;
    }

    private static string StripModifier(string source) =>
        source.EndsWith(BasenameSuffix, StringComparison.Ordinal) ? source[..^BasenameSuffix.Length] : source;
}
