using System.Text.Json;

namespace SiemAi.Ingestion.Formats;

/// <summary>Picks the format of a <c>POST /ingest/webhook</c> body from its shape (rules in docs/ingestion.md, first match wins).</summary>
public static class FormatDetector
{
    public static string? DetectJson(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            var first = root.GetArrayLength() > 0 ? root[0] : default;
            return first.ValueKind == JsonValueKind.Object && IsQRadarOffense(first) ? AlertFormats.QRadar : AlertFormats.Generic;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        bool Has(string name) => root.TryGetProperty(name, out _);

        if (IsSentinelIncident(root))
        {
            return AlertFormats.Sentinel;
        }

        if (IsQRadarOffense(root))
        {
            return AlertFormats.QRadar;
        }

        if (root.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array
            && (Has("groupKey") || Has("receiver") || (Has("version") && alerts.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("labels", out _)))))
        {
            return AlertFormats.Alertmanager;
        }

        if (Has("search_name") || (Has("sid") && Has("result")))
        {
            return AlertFormats.Splunk;
        }

        var rule = root.TryGetProperty("rule", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        if (rule.ValueKind == JsonValueKind.Object && rule.TryGetProperty("level", out _)
            && (Has("agent") || Has("full_log") || Has("decoder") || Has("manager") || Has("location")))
        {
            return AlertFormats.Wazuh;
        }

        if ((rule.ValueKind == JsonValueKind.Object && (Has("context") || Has("alerts") || Has("alert") || Has("state")))
            || root.EnumerateObject().Any(p => p.Name.StartsWith("kibana", StringComparison.Ordinal) || p.Name.StartsWith("signal", StringComparison.Ordinal) || p.Name == "@timestamp" || p.Name == "ecs"))
        {
            return AlertFormats.Elastic;
        }

        // Generic in any of its spellings: a title and a source system at the top level.
        var spelled = root.EnumerateObject().Select(p => FieldSpellings.TargetOf(p.Name)).ToHashSet(StringComparer.Ordinal);
        if (spelled.Contains(FieldSpellings.Title) && spelled.Contains(FieldSpellings.SourceSystem))
        {
            return AlertFormats.Generic;
        }

        return null;
    }

    /// <summary>A Logic App / automation rule trigger body, or the incident resource itself.</summary>
    private static bool IsSentinelIncident(JsonElement root)
    {
        var incident = root.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.Object ? o : root;
        if (!incident.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        return (root.TryGetProperty("objectSchemaType", out var schema) && schema.ValueKind == JsonValueKind.String && schema.GetString() == "Incident")
            || (incident.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString()!.EndsWith("SecurityInsights/Incidents", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsQRadarOffense(JsonElement root) =>
        root.TryGetProperty("offense_source", out _) && (root.TryGetProperty("offense_type", out _) || root.TryGetProperty("magnitude", out _));
}
