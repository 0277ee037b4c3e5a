using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// SiemAi's own JSON (docs/schemas/generic-alert.schema.json): one object, or an array of them.
/// Strict: unknown properties and wrong types are rejected naming the field, so typos never pass silently.
/// </summary>
internal sealed class GenericJsonAdapter : IJsonAlertAdapter
{
    private static readonly HashSet<string> Known =
    [
        "alertId", "timestamp", "source", "title", "severity", "ruleId", "ruleName", "description", "host", "hostGroups",
        "user", "sourceIp", "destinationIp", "destinationPort", "process", "filePath", "fileHash", "category",
        "mitreTechniques", "fields",
    ];

    public string Format => AlertFormats.Generic;

    public IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            return [Read(root, body, receivedAt, "")];
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new PayloadRejectedException("body", "A generic payload is a JSON object or an array of objects.");
        }

        if (root.GetArrayLength() == 0)
        {
            throw new PayloadRejectedException("body", "The array holds no alerts.");
        }

        var alerts = new List<NormalizedAlert>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var prefix = $"[{index}].";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException($"[{index}]", "Each alert must be a JSON object.");
            }

            alerts.Add(Read(item, item.GetRawText(), receivedAt, prefix));
            index++;
        }

        return alerts;
    }

    private static NormalizedAlert Read(JsonElement e, string raw, DateTimeOffset receivedAt, string prefix)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                throw new PayloadRejectedException(prefix + property.Name, $"Unknown property '{property.Name}' (see docs/schemas/generic-alert.schema.json).");
            }
        }

        var alertId = receivedAt == default ? Guid.NewGuid() : Guid.CreateVersion7(receivedAt);
        if (Str(e, "alertId", prefix) is { } idText)
        {
            alertId = Guid.TryParse(idText, out var parsed) && parsed != Guid.Empty
                ? parsed
                : throw new PayloadRejectedException(prefix + "alertId", "alertId must be a non-empty UUID.");
        }

        var severityText = Str(e, "severity", prefix, number: true) ?? throw new PayloadRejectedException(prefix + "severity", "severity is required.");
        var severity = SeverityMapping.ParseWazuhScale(severityText)
            ?? throw new PayloadRejectedException(prefix + "severity", "severity must be info, low, medium, high, critical or a number 0-15.");

        DateTimeOffset observed = receivedAt;
        if (Str(e, "timestamp", prefix, number: true) is { } ts)
        {
            observed = JsonFields.Time(ts) ?? throw new PayloadRejectedException(prefix + "timestamp", "timestamp must be an ISO 8601 date-time or Unix milliseconds.");
        }

        int? port = null;
        if (e.TryGetProperty("destinationPort", out var portElement) && portElement.ValueKind != JsonValueKind.Null)
        {
            port = portElement.ValueKind == JsonValueKind.Number && portElement.TryGetInt32(out var p)
                ? p
                : throw new PayloadRejectedException(prefix + "destinationPort", "destinationPort must be an integer.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty("fields", out var fieldsElement) && fieldsElement.ValueKind != JsonValueKind.Null)
        {
            if (fieldsElement.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException(prefix + "fields", "fields must be an object of string values.");
            }

            foreach (var field in fieldsElement.EnumerateObject())
            {
                fields[field.Name] = field.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                    ? JsonFields.Scalar(field.Value)!
                    : throw new PayloadRejectedException($"{prefix}fields.{field.Name}", "fields values must be strings, numbers or booleans.");
            }
        }

        return new NormalizedAlert
        {
            AlertId = alertId,
            SourceSystem = Str(e, "source", prefix) ?? throw new PayloadRejectedException(prefix + "source", "source is required."),
            Format = AlertFormats.Generic,
            RuleId = Str(e, "ruleId", prefix, number: true),
            RuleName = Str(e, "ruleName", prefix),
            Title = Str(e, "title", prefix) ?? throw new PayloadRejectedException(prefix + "title", "title is required."),
            Description = Str(e, "description", prefix),
            Severity = severity,
            Asset = Str(e, "host", prefix),
            AssetGroups = Strings(e, "hostGroups", prefix),
            User = Str(e, "user", prefix),
            SourceIp = Str(e, "sourceIp", prefix),
            DestinationIp = Str(e, "destinationIp", prefix),
            DestinationPort = port,
            Process = Str(e, "process", prefix),
            FilePath = Str(e, "filePath", prefix),
            FileHash = Str(e, "fileHash", prefix),
            Category = Str(e, "category", prefix),
            MitreTechniques = Strings(e, "mitreTechniques", prefix).Select(t => t.ToUpperInvariant()).ToList(),
            ObservedAt = observed,
            ReceivedAt = receivedAt,
            Fingerprint = "",
            RawPayload = raw,
            Fields = fields,
        };
    }

    private static string? Str(JsonElement e, string name, string prefix, bool number = false)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString()!.Trim(),
            JsonValueKind.Number when number => value.GetRawText(),
            _ => throw new PayloadRejectedException(prefix + name, $"{name} must be a string."),
        };
    }

    private static List<string> Strings(JsonElement e, string name, string prefix)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new PayloadRejectedException(prefix + name, $"{name} must be an array of strings.");
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString())
                ? item.GetString()!.Trim()
                : throw new PayloadRejectedException($"{prefix}{name}[{i}]", $"{name} items must be non-empty strings."));
            i++;
        }

        return list;
    }
}
