using System.Text.Json;

namespace SiemAi.Ingestion.Formats;

/// <summary>Picks the format of a <c>POST /ingest/webhook</c> body from its shape (rules in docs/ingestion.md, first match wins).</summary>
public static class FormatDetector
{
    public static string? DetectJson(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return AlertFormats.Generic;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        bool Has(string name) => root.TryGetProperty(name, out _);

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

        if (Has("title") && Has("source"))
        {
            return AlertFormats.Generic;
        }

        return null;
    }
}
