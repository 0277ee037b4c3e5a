using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// A Wazuh alert as written to alerts.json / sent by the integrator:
/// <c>rule.level/id/description/groups/mitre.id</c>, <c>agent.name/ip</c>, <c>data.srcip/dstuser</c>, <c>full_log</c>.
/// </summary>
internal sealed class WazuhAdapter : IJsonAlertAdapter
{
    public string Format => AlertFormats.Wazuh;

    public IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("rule", out var rule) || rule.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadRejectedException("rule", "A Wazuh alert carries a rule object.");
        }

        var levelText = JsonFields.Text(rule, "level") ?? throw new PayloadRejectedException("rule.level", "rule.level is required.");
        if (!int.TryParse(levelText, out var level) || level is < 0 or > 15)
        {
            throw new PayloadRejectedException("rule.level", "rule.level must be an integer 0-15.");
        }

        var description = JsonFields.Text(rule, "description") ?? throw new PayloadRejectedException("rule.description", "rule.description is required.");
        var groups = JsonFields.Texts(rule, "groups");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["rule.level"] = levelText };
        if (groups.Count > 0)
        {
            fields["rule.groups"] = string.Join(',', groups);
        }

        foreach (var (name, path) in new[] { ("agent.id", "agent.id"), ("agent.ip", "agent.ip"), ("manager.name", "manager.name"), ("location", "location"), ("id", "id"), ("decoder.name", "decoder.name") })
        {
            if (JsonFields.Text(root, path) is { Length: > 0 } v)
            {
                fields[name] = TextLimits.Cap(v, 4096)!;
            }
        }

        return
        [
            new NormalizedAlert
            {
                AlertId = Guid.CreateVersion7(receivedAt),
                SourceSystem = "wazuh",
                Format = AlertFormats.Wazuh,
                RuleId = JsonFields.Text(rule, "id"),
                RuleName = description.Trim(),
                Title = TextLimits.Title512(description),
                Description = TextLimits.Cap(JsonFields.Text(root, "full_log"), TextLimits.Description),
                Severity = SeverityMapping.FromWazuhLevel(level),
                Asset = JsonFields.FirstText(root, "agent.name", "hostname"),
                User = JsonFields.FirstText(root, "data.dstuser", "data.srcuser", "data.win.eventdata.targetUserName"),
                SourceIp = JsonFields.FirstText(root, "data.srcip", "data.win.eventdata.ipAddress"),
                DestinationIp = JsonFields.FirstText(root, "data.dstip", "agent.ip"),
                DestinationPort = JsonFields.Port(JsonFields.FirstText(root, "data.dstport")),
                Process = JsonFields.FirstText(root, "data.win.eventdata.image", "predecoder.program_name"),
                FilePath = JsonFields.FirstText(root, "syscheck.path"),
                FileHash = JsonFields.FirstText(root, "syscheck.sha256_after"),
                Category = groups.Count > 0 ? groups[0] : null,
                MitreTechniques = MitreText.Extract(JsonFields.Texts(rule, "mitre.id")),
                ObservedAt = JsonFields.Time(JsonFields.Text(root, "timestamp")) ?? receivedAt,
                ReceivedAt = receivedAt,
                Fingerprint = "",
                RawPayload = body,
                Fields = fields,
            },
        ];
    }
}
