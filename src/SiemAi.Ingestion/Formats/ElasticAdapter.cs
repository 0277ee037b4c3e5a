using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// Elastic/Kibana. Accepted shapes (docs/ingestion.md): a Kibana alerting Webhook connector body
/// <c>{"rule":{"id","name"},"context":{"alerts":[ECS alert docs]}}</c> (or <c>"alerts"</c> at top level), a
/// connector body without alert documents (<c>{"rule":..,"context":{"message",..}}</c>), or one ECS document
/// (a detection alert with <c>kibana.alert.*</c>, or any event with <c>host.name</c>, <c>source.ip</c>,
/// <c>threat.technique.id</c>). Nested and dotted keys are both read.
/// </summary>
internal sealed class ElasticAdapter : IJsonAlertAdapter
{
    public string Format => AlertFormats.Elastic;

    public IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadRejectedException("body", "An Elastic webhook body is a JSON object.");
        }

        var rule = root.TryGetProperty("rule", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var context = root.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        JsonElement? docs = context.ValueKind == JsonValueKind.Object && context.TryGetProperty("alerts", out var ca) ? ca
            : root.TryGetProperty("alerts", out var ra) ? ra : null;

        if (docs is { } array)
        {
            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            {
                throw new PayloadRejectedException(context.ValueKind == JsonValueKind.Object ? "context.alerts" : "alerts", "alerts must be a non-empty array of alert documents.");
            }

            var list = new List<NormalizedAlert>();
            var index = 0;
            foreach (var doc in array.EnumerateArray())
            {
                if (doc.ValueKind != JsonValueKind.Object)
                {
                    throw new PayloadRejectedException($"alerts[{index}]", "Each alert document must be an object.");
                }

                list.Add(Read(doc, rule, context, array.GetArrayLength() == 1 ? body : doc.GetRawText(), receivedAt, $"alerts[{index}]"));
                index++;
            }

            return list;
        }

        // A connector body without documents describes the rule run itself; the root doubles as the ECS document.
        return [Read(root, rule, context, body, receivedAt, "body")];
    }

    private static NormalizedAlert Read(JsonElement doc, JsonElement rule, JsonElement context, string raw, DateTimeOffset receivedAt, string at)
    {
        string? FromRule(string path) => rule.ValueKind == JsonValueKind.Object ? JsonFields.Text(rule, path) : null;
        string? FromContext(string path) => context.ValueKind == JsonValueKind.Object ? JsonFields.Text(context, path) : null;

        var ruleName = JsonFields.FirstText(doc, "kibana.alert.rule.name", "signal.rule.name", "rule.name") ?? FromRule("name");
        var title = JsonFields.FirstText(doc, "kibana.alert.reason", "signal.reason") ?? ruleName ?? JsonFields.FirstText(doc, "message") ?? FromContext("message");
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new PayloadRejectedException(at, "No rule name, reason or message: expected rule.name, kibana.alert.rule.name or message.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in new[] { "kibana.alert.uuid", "kibana.alert.rule.uuid", "kibana.space_ids", "event.action", "event.dataset", "event.module", "agent.id" })
        {
            if (JsonFields.Text(doc, path) is { Length: > 0 } v)
            {
                fields[path] = TextLimits.Cap(v, 4096)!;
            }
        }

        foreach (var path in new[] { "group", "value", "conditions", "link" })
        {
            if (FromContext(path) is { Length: > 0 } v)
            {
                fields["context." + path] = TextLimits.Cap(v, 4096)!;
            }
        }

        var techniques = new List<string>();
        CollectTechniques(doc, false, techniques, 0);
        if (rule.ValueKind == JsonValueKind.Object)
        {
            CollectTechniques(rule, false, techniques, 0);
        }

        return new NormalizedAlert
        {
            AlertId = Guid.CreateVersion7(receivedAt),
            SourceSystem = "elastic",
            Format = AlertFormats.Elastic,
            RuleId = JsonFields.FirstText(doc, "kibana.alert.rule.rule_id", "kibana.alert.rule.uuid", "signal.rule.rule_id", "rule.id") ?? FromRule("id"),
            RuleName = ruleName,
            Title = TextLimits.Title512(title),
            Description = TextLimits.Cap(JsonFields.FirstText(doc, "kibana.alert.rule.description", "message") ?? FromContext("message"), TextLimits.Description),
            Severity = MapSeverity(doc, rule, at),
            Asset = JsonFields.FirstText(doc, "host.name", "host.hostname", "observer.hostname") ?? FromContext("group"),
            User = JsonFields.FirstText(doc, "user.name", "user.target.name"),
            SourceIp = JsonFields.FirstText(doc, "source.ip", "client.ip"),
            DestinationIp = JsonFields.FirstText(doc, "destination.ip", "server.ip", "host.ip"),
            DestinationPort = JsonFields.Port(JsonFields.FirstText(doc, "destination.port")),
            Process = JsonFields.FirstText(doc, "process.executable", "process.name"),
            FilePath = JsonFields.FirstText(doc, "file.path"),
            FileHash = JsonFields.FirstText(doc, "file.hash.sha256", "process.hash.sha256"),
            Category = JsonFields.FirstText(doc, "event.category", "kibana.alert.rule.category"),
            MitreTechniques = MitreText.Extract(techniques),
            ObservedAt = JsonFields.Time(JsonFields.FirstText(doc, "kibana.alert.original_time", "@timestamp") ?? FromContext("date")) ?? receivedAt,
            ReceivedAt = receivedAt,
            Fingerprint = "",
            RawPayload = raw,
            Fields = fields,
        };
    }

    private static Severity MapSeverity(JsonElement doc, JsonElement rule, string at)
    {
        var word = JsonFields.FirstText(doc, "kibana.alert.severity", "signal.rule.severity", "kibana.alert.rule.severity")
            ?? (rule.ValueKind == JsonValueKind.Object ? JsonFields.Text(rule, "severity") : null);
        if (word is not null)
        {
            return SeverityMapping.FromWord(word) ?? throw new PayloadRejectedException(at + ".kibana.alert.severity", $"Unknown severity '{word}'.");
        }

        // ECS event.severity and Kibana risk scores are both 0-100 numbers.
        var score = JsonFields.FirstText(doc, "kibana.alert.risk_score", "signal.rule.risk_score", "event.risk_score", "event.severity");
        if (score is not null)
        {
            return double.TryParse(score, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0
                ? SeverityMapping.FromRiskScore(n)
                : SeverityMapping.FromWord(score) ?? throw new PayloadRejectedException(at + ".event.severity", $"Unknown severity '{score}'.");
        }

        return Severity.Medium;
    }

    /// <summary>Technique ids sit at any depth under a key naming "technique" (ECS threat.technique.id, Kibana rule threat arrays).</summary>
    private static void CollectTechniques(JsonElement element, bool underTechnique, List<string> into, int depth)
    {
        if (depth > 16 || into.Count > 50)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var isTechnique = underTechnique || property.Name.Contains("technique", StringComparison.OrdinalIgnoreCase);
                    if (isTechnique || property.Name.Contains("threat", StringComparison.OrdinalIgnoreCase) || property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        CollectTechniques(property.Value, isTechnique, into, depth + 1);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectTechniques(item, underTechnique, into, depth + 1);
                }

                break;
            case JsonValueKind.String when underTechnique:
                into.Add(element.GetString()!);
                break;
        }
    }
}
