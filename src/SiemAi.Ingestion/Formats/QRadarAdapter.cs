using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// IBM QRadar offenses as the REST API (<c>GET /api/siem/offenses[/{id}]</c>) returns them and offense
/// forwarders post them: one offense object, or an array of them. <c>offense_type</c> says what
/// <c>offense_source</c> is (0 source IP, 1 destination IP, 3 username, 7 hostname, 10/11 IPv6 ...), which decides
/// the field it fills; the first log source's host (<c>"LinuxServer @ web-01"</c>) is the asset when the offense
/// names none. Severity is QRadar's 0-10 scale, read like CEF's.
/// </summary>
internal sealed class QRadarAdapter : IJsonAlertAdapter
{
    /// <summary>QRadar's offense types (<c>GET /api/siem/offense_types</c>, the built-in ones).</summary>
    private static readonly Dictionary<int, string> OffenseTypes = new()
    {
        [0] = "Source IP", [1] = "Destination IP", [2] = "Event Name", [3] = "Username", [4] = "Source MAC Address",
        [5] = "Destination MAC Address", [6] = "Log Source", [7] = "Hostname", [8] = "Source Port", [9] = "Destination Port",
        [10] = "Source IPv6", [11] = "Destination IPv6", [12] = "Source ASN", [13] = "Destination ASN", [14] = "Rule",
        [15] = "App Id", [18] = "Scheduled Search",
    };

    public string Format => AlertFormats.QRadar;

    public IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            return [Read(root, body, receivedAt, "")];
        }

        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
        {
            throw new PayloadRejectedException("body", "A QRadar body is one offense object or a non-empty array of them.");
        }

        var list = new List<NormalizedAlert>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var at = $"[{index++}].";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException(at.TrimEnd('.'), "Each offense must be a JSON object.");
            }

            list.Add(Read(item, item.GetRawText(), receivedAt, at));
        }

        return list;
    }

    private static NormalizedAlert Read(JsonElement offense, string raw, DateTimeOffset receivedAt, string at)
    {
        if (!offense.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var id))
        {
            throw new PayloadRejectedException(at + "id", "id (the offense number) is required.");
        }

        var description = JsonFields.Text(offense, "description");
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new PayloadRejectedException(at + "description", "description (the offense name) is required.");
        }

        var severity = Severity.Medium;
        if (offense.TryGetProperty("severity", out var sev) && sev.ValueKind != JsonValueKind.Null)
        {
            severity = sev.ValueKind == JsonValueKind.Number && sev.TryGetInt32(out var level) && level is >= 0 and <= 10
                ? SeverityMapping.FromCef(level)
                : throw new PayloadRejectedException(at + "severity", "severity must be QRadar's number 0-10.");
        }

        int? type = offense.TryGetProperty("offense_type", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var ty) ? ty : null;
        var source = JsonFields.Text(offense, "offense_source")?.Trim();
        var logSources = offense.TryGetProperty("log_sources", out var ls) && ls.ValueKind == JsonValueKind.Array
            ? ls.EnumerateArray().Select(l => JsonFields.Text(l, "name")).OfType<string>().ToList()
            : [];
        var categories = JsonFields.Texts(offense, "categories");
        var ruleIds = offense.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array
            ? rules.EnumerateArray().Select(r => JsonFields.Text(r, "id")).OfType<string>().ToList()
            : [];

        // The offense's first line is its name; QRadar appends "containing ..." / "preceded by ..." lines.
        var name = description.Trim().Split('\n', 2)[0].Trim();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["qradar.offense_id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (field, path) in new[]
        {
            ("qradar.status", "status"), ("qradar.magnitude", "magnitude"), ("qradar.credibility", "credibility"), ("qradar.relevance", "relevance"),
            ("qradar.event_count", "event_count"), ("qradar.flow_count", "flow_count"), ("qradar.offense_source", "offense_source"),
            ("qradar.domain_id", "domain_id"), ("qradar.source_network", "source_network"), ("qradar.assigned_to", "assigned_to"),
        })
        {
            if (JsonFields.Text(offense, path) is { Length: > 0 } v)
            {
                fields[field] = TextLimits.Cap(v, 4096)!;
            }
        }

        if (type is { } known)
        {
            fields["qradar.offense_type"] = OffenseTypes.GetValueOrDefault(known, known.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AddList(fields, "qradar.categories", categories);
        AddList(fields, "qradar.log_sources", logSources);
        AddList(fields, "qradar.rule_ids", ruleIds);
        AddList(fields, "qradar.destination_networks", JsonFields.Texts(offense, "destination_networks"));

        string? When(params int[] types) => type is { } k && types.Contains(k) && !string.IsNullOrEmpty(source) ? source : null;
        var destination = When(1, 11);
        return new NormalizedAlert
        {
            AlertId = Guid.CreateVersion7(receivedAt),
            SourceSystem = "qradar",
            Format = AlertFormats.QRadar,
            RuleId = ruleIds.Count > 0 ? ruleIds[0] : null,
            RuleName = TextLimits.Cap(name, 512),
            Title = TextLimits.Title512(name),
            Description = TextLimits.Cap(description.Trim(), TextLimits.Description),
            Severity = severity,
            Asset = When(7) ?? destination ?? logSources.Select(LogSourceHost).FirstOrDefault(h => h is not null),
            User = When(3),
            SourceIp = When(0, 10),
            DestinationIp = destination,
            Category = categories.Count > 0 ? categories[0] : null,
            ObservedAt = JsonFields.Time(JsonFields.Text(offense, "start_time")) ?? receivedAt,
            ReceivedAt = receivedAt,
            Fingerprint = "",
            RawPayload = raw,
            Fields = fields,
        };
    }

    /// <summary>"WindowsAuthServer @ dc01" → dc01: QRadar names auto-discovered log sources "&lt;type&gt; @ &lt;host&gt;".</summary>
    private static string? LogSourceHost(string name)
    {
        var at = name.LastIndexOf(" @ ", StringComparison.Ordinal);
        var host = at < 0 ? null : name[(at + 3)..].Trim();
        return string.IsNullOrEmpty(host) || host.Contains(' ', StringComparison.Ordinal) ? null : host;
    }

    private static void AddList(Dictionary<string, string> fields, string name, IEnumerable<string> values)
    {
        var text = string.Join(',', values);
        if (text.Length > 0)
        {
            fields[name] = TextLimits.Cap(text, 4096)!;
        }
    }
}
