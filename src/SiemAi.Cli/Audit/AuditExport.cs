using System.Text;
using System.Text.Json;
using SiemAi.Audit;
using SiemAi.EventStore;

namespace SiemAi.Cli.Audit;

/// <summary>
/// One JSON object per line per event, with the field names of the seed's audit log
/// (<c>event_type</c>, <c>timestamp</c>, <c>incident_id</c>, <c>actor</c>, <c>playbook_sha256</c>, <c>data</c>),
/// so <c>jq 'select(.event_type == "playbook_approved")'</c> keeps working.
/// </summary>
public static class AuditExport
{
    public static string ToJsonLine(RecordedEvent e)
    {
        using var metaDoc = JsonDocument.Parse(e.Metadata);
        var meta = metaDoc.RootElement;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event_type", e.Type);
            json.WriteString("timestamp", e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            var incident = IncidentId(e, meta);
            if (incident is null)
            {
                json.WriteNull("incident_id");
            }
            else
            {
                json.WriteString("incident_id", incident);
            }

            WriteMeta(json, meta, "actor");
            WriteMeta(json, meta, "playbook_sha256");
            json.WritePropertyName("data");
            json.WriteRawValue(e.Data);
            json.WriteString("stream_id", e.StreamId);
            json.WriteNumber("version", e.Version);
            json.WriteNumber("sequence", e.Sequence);
            json.WriteString("event_id", e.EventId);
            WriteMeta(json, meta, "correlation_id");
            WriteMeta(json, meta, "causation_id");
            json.WriteString("hash", Convert.ToHexStringLower(e.Hash));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? IncidentId(RecordedEvent e, JsonElement meta)
    {
        if (e.StreamId.StartsWith(IncidentReplay.StreamPrefix, StringComparison.Ordinal))
        {
            return e.StreamId[IncidentReplay.StreamPrefix.Length..];
        }

        return meta.TryGetProperty("correlation_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
    }

    private static void WriteMeta(Utf8JsonWriter json, JsonElement meta, string name)
    {
        json.WritePropertyName(name);
        if (meta.TryGetProperty(name, out var value))
        {
            value.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
