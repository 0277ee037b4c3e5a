using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// Prometheus Alertmanager webhook, version 4: <c>{"version":"4","groupKey",...,"alerts":[{"status","labels",
/// "annotations","startsAt","endsAt","generatorURL","fingerprint"}]}</c>. Each entry of <c>alerts[]</c> becomes
/// one alert whose raw payload is that entry's verbatim JSON.
/// </summary>
internal sealed class AlertmanagerAdapter : IJsonAlertAdapter
{
    public string Format => AlertFormats.Alertmanager;

    public IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("alerts", out var alerts) || alerts.ValueKind != JsonValueKind.Array)
        {
            throw new PayloadRejectedException("alerts", "An Alertmanager webhook carries an alerts array.");
        }

        if (JsonFields.Text(root, "version") is { } version && version != "4")
        {
            throw new PayloadRejectedException("version", $"Alertmanager webhook version {version} is not supported (4 is).");
        }

        if (alerts.GetArrayLength() == 0)
        {
            throw new PayloadRejectedException("alerts", "The alerts array is empty.");
        }

        var receiver = JsonFields.Text(root, "receiver");
        var list = new List<NormalizedAlert>();
        var index = 0;
        foreach (var alert in alerts.EnumerateArray())
        {
            var at = $"alerts[{index++}]";
            if (alert.ValueKind != JsonValueKind.Object || !alert.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException(at + ".labels", "Each alert needs a labels object.");
            }

            var alertName = JsonFields.Text(labels, "alertname");
            if (string.IsNullOrWhiteSpace(alertName))
            {
                throw new PayloadRejectedException(at + ".labels.alertname", "labels.alertname is required.");
            }

            var annotations = alert.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            var severityText = JsonFields.Text(labels, "severity");
            var severity = severityText is null
                ? Severity.Medium
                : SeverityMapping.FromWord(severityText) ?? throw new PayloadRejectedException(at + ".labels.severity", $"Unknown severity '{severityText}'.");

            var fields = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["status"] = JsonFields.Text(alert, "status") ?? "firing",
            };
            AddIf(fields, "fingerprint", JsonFields.Text(alert, "fingerprint"));
            AddIf(fields, "generatorURL", JsonFields.Text(alert, "generatorURL"));
            AddIf(fields, "endsAt", JsonFields.Text(alert, "endsAt"));
            AddIf(fields, "receiver", receiver);
            foreach (var label in labels.EnumerateObject())
            {
                AddIf(fields, "labels." + label.Name, JsonFields.Scalar(label.Value));
            }

            var host = JsonFields.FirstText(labels, "host", "hostname", "nodename", "node") ?? AddressText.StripPort(JsonFields.Text(labels, "instance"));
            string? Annotation(string name) => annotations.ValueKind == JsonValueKind.Object ? JsonFields.Text(annotations, name) : null;

            list.Add(new NormalizedAlert
            {
                AlertId = Guid.CreateVersion7(receivedAt),
                SourceSystem = "alertmanager",
                Format = AlertFormats.Alertmanager,
                RuleId = alertName.Trim(),
                RuleName = alertName.Trim(),
                Title = TextLimits.Title512(Annotation("summary") ?? alertName),
                Description = TextLimits.Cap(Annotation("description") ?? Annotation("message"), TextLimits.Description),
                Severity = severity,
                Asset = host,
                User = JsonFields.FirstText(labels, "user", "username"),
                SourceIp = AddressText.IpOrNull(JsonFields.FirstText(labels, "src_ip", "source_ip")),
                DestinationIp = AddressText.IpOrNull(AddressText.StripPort(JsonFields.Text(labels, "instance"))),
                Category = JsonFields.FirstText(labels, "category", "job"),
                MitreTechniques = MitreText.Extract([JsonFields.Text(labels, "mitre"), JsonFields.Text(labels, "technique"), Annotation("mitre")]),
                ObservedAt = JsonFields.Time(JsonFields.Text(alert, "startsAt")) ?? receivedAt,
                ReceivedAt = receivedAt,
                Fingerprint = "",
                RawPayload = alert.GetRawText(),
                Fields = fields,
            });
        }

        return list;
    }

    private static void AddIf(Dictionary<string, string> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields[name] = TextLimits.Cap(value, 4096)!;
        }
    }
}
