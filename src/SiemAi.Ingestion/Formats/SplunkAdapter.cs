using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// Splunk's alert-action webhook: <c>{"result":{..first result row..},"sid","search_name","results_link","app","owner"}</c>.
/// The result row's field names follow the CIM (dest, src, user, severity/urgency, _time).
/// </summary>
internal sealed class SplunkAdapter : IJsonAlertAdapter
{
    private const int MaxCopiedFields = 100;

    public string Format => AlertFormats.Splunk;

    public IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadRejectedException("body", "A Splunk webhook body is a JSON object.");
        }

        var searchName = JsonFields.Text(root, "search_name");
        if (string.IsNullOrWhiteSpace(searchName))
        {
            throw new PayloadRejectedException("search_name", "search_name is required.");
        }

        if (!root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadRejectedException("result", "result must be an object (the first result row).");
        }

        var severityText = JsonFields.FirstText(result, "severity", "urgency", "priority");
        var severity = severityText is null
            ? Severity.Medium
            : SeverityMapping.Parse(severityText, SeverityMapping.FromSplunkNumber)
              ?? throw new PayloadRejectedException("result.severity", $"Unknown severity '{severityText}'.");

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "sid", "results_link", "app", "owner" })
        {
            if (JsonFields.Text(root, name) is { Length: > 0 } v)
            {
                fields[name] = v;
            }
        }

        foreach (var property in result.EnumerateObject().Where(p => p.Name != "_raw").Take(MaxCopiedFields))
        {
            if (JsonFields.Scalar(property.Value) is { } v)
            {
                fields["result." + property.Name] = TextLimits.Cap(v, 4096)!;
            }
        }

        var dest = JsonFields.FirstText(result, "dest");
        var src = JsonFields.FirstText(result, "src");
        return
        [
            new NormalizedAlert
            {
                AlertId = Guid.CreateVersion7(receivedAt),
                SourceSystem = "splunk",
                Format = AlertFormats.Splunk,
                RuleId = JsonFields.FirstText(result, "rule_id", "savedsearch_name") ?? searchName.Trim(),
                RuleName = searchName.Trim(),
                Title = TextLimits.Title512(JsonFields.FirstText(result, "rule_title", "signature") is { } sig ? $"{searchName.Trim()}: {sig}" : searchName),
                Description = TextLimits.Cap(JsonFields.FirstText(result, "description", "_raw"), TextLimits.Description),
                Severity = severity,
                Asset = JsonFields.FirstText(result, "dest_host", "dest_nt_host", "host") ?? dest,
                User = JsonFields.FirstText(result, "user", "dest_user", "src_user"),
                SourceIp = JsonFields.FirstText(result, "src_ip") ?? AddressText.IpOrNull(src),
                DestinationIp = JsonFields.FirstText(result, "dest_ip") ?? AddressText.IpOrNull(dest),
                DestinationPort = JsonFields.Port(JsonFields.FirstText(result, "dest_port")),
                Process = JsonFields.FirstText(result, "process", "process_name"),
                FilePath = JsonFields.FirstText(result, "file_path"),
                FileHash = JsonFields.FirstText(result, "file_hash"),
                Category = JsonFields.FirstText(result, "category", "signature"),
                MitreTechniques = MitreText.Extract(
                    JsonFields.Texts(result, "mitre_technique_id")
                        .Concat(JsonFields.Texts(result, "annotations.mitre_attack"))
                        .Concat(JsonFields.Texts(result, "mitre_attack"))),
                ObservedAt = JsonFields.Time(JsonFields.Text(result, "_time")) ?? receivedAt,
                ReceivedAt = receivedAt,
                Fingerprint = "",
                RawPayload = body,
                Fields = fields,
            },
        ];
    }
}
