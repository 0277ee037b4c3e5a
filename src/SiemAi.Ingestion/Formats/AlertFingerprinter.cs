using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// SHA-256 (lower hex) over the configured fields of an alert, per format
/// (<c>Ingestion:FingerprintFields:&lt;format&gt;</c>, defaults in <see cref="Defaults"/>). Values are trimmed and
/// lower-cased so "WEB-01" and "web-01 " count as the same host.
/// </summary>
public sealed class AlertFingerprinter(IOptionsMonitor<IngestionOptions> options)
{
    public static readonly IReadOnlyDictionary<string, string[]> Defaults = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AlertFormats.Generic] = ["sourceSystem", "ruleId", "title", "asset", "user", "sourceIp"],
        [AlertFormats.Broker] = ["sourceSystem", "ruleId", "title", "asset", "user", "sourceIp"],
        [AlertFormats.Splunk] = ["ruleName", "asset", "user", "sourceIp"],
        [AlertFormats.Alertmanager] = ["ruleName", "asset", "fields.fingerprint"],
        [AlertFormats.Wazuh] = ["ruleId", "asset", "user", "sourceIp"],
        [AlertFormats.Elastic] = ["ruleId", "ruleName", "asset", "user", "sourceIp"],
        // One Sentinel incident or QRadar offense is one incident here, however often it is updated and re-sent.
        [AlertFormats.Sentinel] = ["fields.sentinel.incident_id"],
        [AlertFormats.QRadar] = ["fields.qradar.offense_id"],
        [AlertFormats.Cef] = ["sourceSystem", "ruleId", "asset", "user", "sourceIp", "destinationIp"],
        [AlertFormats.Rfc5424] = ["sourceSystem", "ruleId", "asset", "title"],
        [AlertFormats.Rfc3164] = ["sourceSystem", "asset", "title"],
    };

    public static readonly IReadOnlySet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "sourceSystem", "format", "ruleId", "ruleName", "title", "severity", "asset", "user", "sourceIp", "destinationIp",
        "destinationPort", "process", "filePath", "fileHash", "category", "mitreTechniques",
    };

    public IReadOnlyList<string> FieldsFor(string format) =>
        options.CurrentValue.FingerprintFields.TryGetValue(format, out var configured) && configured.Length > 0
            ? configured
            : Defaults.GetValueOrDefault(format) ?? Defaults[AlertFormats.Generic];

    public string Compute(NormalizedAlert alert)
    {
        var text = new StringBuilder();
        text.Append("format=").Append(alert.Format == AlertFormats.Broker ? AlertFormats.Generic : alert.Format).Append('\n');
        foreach (var field in FieldsFor(alert.Format))
        {
            text.Append(field).Append('=').Append(Value(alert, field)?.Trim().ToLowerInvariant()).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string? Value(NormalizedAlert a, string field) => field switch
    {
        "sourceSystem" => a.SourceSystem,
        "format" => a.Format,
        "ruleId" => a.RuleId,
        "ruleName" => a.RuleName,
        "title" => a.Title,
        "severity" => a.Severity.ToString(),
        "asset" => a.Asset,
        "user" => a.User,
        "sourceIp" => a.SourceIp,
        "destinationIp" => a.DestinationIp,
        "destinationPort" => a.DestinationPort?.ToString(CultureInfo.InvariantCulture),
        "process" => a.Process,
        "filePath" => a.FilePath,
        "fileHash" => a.FileHash,
        "category" => a.Category,
        "mitreTechniques" => string.Join(',', a.MitreTechniques.Order(StringComparer.Ordinal)),
        _ when field.StartsWith("fields.", StringComparison.Ordinal) => a.Fields.GetValueOrDefault(field["fields.".Length..]),
        _ => null,
    };
}
