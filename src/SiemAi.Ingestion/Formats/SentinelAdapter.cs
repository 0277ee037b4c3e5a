using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// A Microsoft Sentinel incident as an automation rule's playbook (Logic App, trigger "Microsoft Sentinel
/// incident") posts it: <c>{"objectSchemaType":"Incident","objectEventType":"Create","workspaceInfo":{..},
/// "object":{"id","name","type":"Microsoft.SecurityInsights/Incidents","properties":{title, description, severity,
/// status, incidentNumber, incidentUrl, firstActivityTimeUtc, additionalData{tactics, techniques},
/// relatedAnalyticRuleIds, alerts[], relatedEntities[]}}}</c>; the bare incident resource (what the REST API
/// returns) is read the same way. One incident is one alert; entities fill host, account, address and hash.
/// </summary>
internal sealed class SentinelAdapter : IJsonAlertAdapter
{
    public string Format => AlertFormats.Sentinel;

    public IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadRejectedException("body", "A Sentinel incident body is a JSON object.");
        }

        var (incident, at) = root.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.Object ? (o, "object.") : (root, "");
        if (!incident.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadRejectedException(at + "properties", "A Sentinel incident carries its properties object (object.properties in a playbook trigger body).");
        }

        at += "properties.";
        var title = JsonFields.Text(props, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new PayloadRejectedException(at + "title", "properties.title is required.");
        }

        var severityText = JsonFields.Text(props, "severity")
            ?? throw new PayloadRejectedException(at + "severity", "properties.severity is required (High, Medium, Low or Informational).");
        var severity = SeverityMapping.FromWord(severityText)
            ?? throw new PayloadRejectedException(at + "severity", $"Unknown severity '{TextLimits.Cap(severityText, 40)}' (High, Medium, Low or Informational).");

        var entities = Entities(props);
        string? First(string kind, params string[] names) =>
            entities.Where(e => e.Kind == kind).Select(e => JsonFields.FirstText(e.Properties, names)).FirstOrDefault(v => v is not null);
        IEnumerable<string> All(string kind, params string[] names) =>
            entities.Where(e => e.Kind == kind).Select(e => JsonFields.FirstText(e.Properties, names)).OfType<string>().Distinct(StringComparer.Ordinal);

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIf(fields, "sentinel.incident_id", JsonFields.Text(incident, "name"));
        AddIf(fields, "sentinel.incident_number", JsonFields.Text(props, "incidentNumber"));
        AddIf(fields, "sentinel.incident_url", JsonFields.Text(props, "incidentUrl"));
        AddIf(fields, "sentinel.status", JsonFields.Text(props, "status"));
        AddIf(fields, "sentinel.provider", JsonFields.Text(props, "providerName"));
        AddIf(fields, "sentinel.owner", JsonFields.FirstText(props, "owner.assignedTo", "owner.userPrincipalName"));
        AddIf(fields, "sentinel.event", JsonFields.Text(root, "objectEventType"));
        AddIf(fields, "sentinel.workspace", JsonFields.FirstText(root, "workspaceInfo.WorkspaceName", "workspaceId"));
        AddIf(fields, "sentinel.tactics", Join(JsonFields.Texts(props, "additionalData.tactics")));
        AddIf(fields, "sentinel.alert_products", Join(JsonFields.Texts(props, "additionalData.alertProductNames")));
        AddIf(fields, "sentinel.labels", Join(Labels(props)));
        AddIf(fields, "sentinel.hosts", Join(All("Host", "hostName", "friendlyName")));
        AddIf(fields, "sentinel.accounts", Join(All("Account", "accountName", "friendlyName")));
        AddIf(fields, "sentinel.ips", Join(All("Ip", "address")));

        var ruleIds = JsonFields.Texts(props, "relatedAnalyticRuleIds");
        AddIf(fields, "sentinel.rule_ids", Join(ruleIds));
        var alertNames = Alerts(props).Select(a => JsonFields.Text(a, "alertDisplayName")).OfType<string>().ToList();
        var techniques = JsonFields.Texts(props, "additionalData.techniques")
            .Concat(Alerts(props).SelectMany(a => JsonFields.Texts(a, "techniques")))
            .Concat(Alerts(props).SelectMany(a => JsonFields.Texts(a, "additionalData.Techniques")));
        var hashes = entities.Where(e => e.Kind == "FileHash" && string.Equals(JsonFields.Text(e.Properties, "algorithm"), "SHA256", StringComparison.OrdinalIgnoreCase));
        var file = entities.FirstOrDefault(e => e.Kind == "File");

        return
        [
            new NormalizedAlert
            {
                AlertId = Guid.CreateVersion7(receivedAt),
                SourceSystem = "sentinel",
                Format = AlertFormats.Sentinel,
                // The analytics rule's id is the last segment of its ARM id (.../alertRules/<guid>).
                RuleId = ruleIds.Count > 0 ? ruleIds[0].TrimEnd('/')[(ruleIds[0].TrimEnd('/').LastIndexOf('/') + 1)..] : null,
                RuleName = alertNames.FirstOrDefault() ?? title.Trim(),
                Title = TextLimits.Title512(title),
                Description = TextLimits.Cap(JsonFields.Text(props, "description"), TextLimits.Description),
                Severity = severity,
                Asset = First("Host", "hostName", "friendlyName"),
                User = First("Account", "accountName", "friendlyName"),
                SourceIp = First("Ip", "address"),
                FileHash = hashes.Select(h => JsonFields.Text(h.Properties, "value")).FirstOrDefault(v => v is not null),
                FilePath = file.Properties.ValueKind == JsonValueKind.Object
                    ? JsonFields.Text(file.Properties, "directory") is { } dir && JsonFields.Text(file.Properties, "fileName") is { } name ? $"{dir.TrimEnd('/', '\\')}/{name}" : null
                    : null,
                Category = JsonFields.Texts(props, "additionalData.tactics") is { Count: > 0 } tactics ? tactics[0] : null,
                MitreTechniques = MitreText.Extract(techniques),
                ObservedAt = JsonFields.Time(JsonFields.FirstText(props, "firstActivityTimeUtc", "createdTimeUtc")) ?? receivedAt,
                ReceivedAt = receivedAt,
                Fingerprint = "",
                RawPayload = body,
                Fields = fields,
            },
        ];
    }

    /// <summary>The incident's entities (<c>relatedEntities</c>, each <c>{kind, properties}</c>); entities of its alerts when it lists none.</summary>
    private static List<(string Kind, JsonElement Properties)> Entities(JsonElement props)
    {
        var list = new List<(string, JsonElement)>();
        var sources = props.TryGetProperty("relatedEntities", out var related) && related.ValueKind == JsonValueKind.Array && related.GetArrayLength() > 0
            ? related.EnumerateArray()
            : Alerts(props).SelectMany(a => a.TryGetProperty("entities", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : []);
        foreach (var entity in sources)
        {
            if (entity.ValueKind == JsonValueKind.Object && JsonFields.Text(entity, "kind") is { } kind
                && entity.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                list.Add((kind, p));
            }
        }

        return list;
    }

    /// <summary>The properties of each alert of the incident.</summary>
    private static IEnumerable<JsonElement> Alerts(JsonElement props) =>
        props.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array
            ? alerts.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
                .Select(a => a.GetProperty("properties"))
            : [];

    private static IEnumerable<string> Labels(JsonElement props) =>
        props.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array
            ? labels.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.Object ? JsonFields.Text(l, "labelName") : JsonFields.Scalar(l)).OfType<string>()
            : [];

    private static string? Join(IEnumerable<string> values)
    {
        var text = string.Join(',', values);
        return text.Length == 0 ? null : text;
    }

    private static void AddIf(Dictionary<string, string> fields, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            fields[name] = TextLimits.Cap(value, 4096)!;
        }
    }
}
