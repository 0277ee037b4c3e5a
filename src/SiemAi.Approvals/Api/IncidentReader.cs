using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using SiemAi.Incidents.Model;

namespace SiemAi.Approvals.Api;

/// <summary>Reads the saga's read model (<c>incidents</c>) and state row (<c>incident_sagas</c>); never writes.</summary>
public sealed class IncidentReader(NpgsqlDataSource db)
{
    public async Task<(long Total, List<JsonObject> Items)> ListAsync(string? status, string? severity, DateTimeOffset? since, DateTimeOffset? until, int page, int pageSize, CancellationToken ct)
    {
        const string where = """
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR severity = $2)
              AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM incidents " + where, connection);
        AddFilters(count, status, severity, since, until);
        var total = (long)(await count.ExecuteScalarAsync(ct))!;

        await using var list = new NpgsqlCommand("""
            SELECT incident_id, status, severity, title, asset, source_system, alert_count, playbook_sha256, verdict, risk,
                   approvals::text, deadline, created_at, last_seen_at, updated_at
            FROM incidents
            """ + " " + where + " ORDER BY severity_rank DESC, created_at DESC LIMIT $5 OFFSET $6", connection);
        AddFilters(list, status, severity, since, until);
        list.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize });
        list.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (page - 1) * pageSize });
        var items = new List<JsonObject>();
        await using var reader = await list.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(Summary(reader));
        }

        return (total, items);
    }

    /// <summary>The read-model row plus the saga's data (camelCase JSON), or null when no such incident.</summary>
    public async Task<IncidentSnapshot?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT i.incident_id, i.status, i.severity, i.title, i.asset, i.source_system, i.alert_count, i.playbook_sha256, i.verdict, i.risk,
                   i.approvals::text, i.deadline, i.created_at, i.last_seen_at, i.updated_at, s.data::text
            FROM incidents i LEFT JOIN incident_sagas s ON s.incident_id = i.incident_id
            WHERE i.incident_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var summary = Summary(reader);
        var data = reader.IsDBNull(15) ? new JsonObject() : JsonNode.Parse(reader.GetString(15))!.AsObject();
        return new IncidentSnapshot(id, IncidentStatuses.Parse(reader.GetString(1)) ?? IncidentStatus.None, reader.IsDBNull(7) ? null : reader.GetString(7), summary, data);
    }

    private static void AddFilters(NpgsqlCommand command, string? status, string? severity, DateTimeOffset? since, DateTimeOffset? until)
    {
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)status ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)severity?.ToLowerInvariant() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)since?.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)until?.UtcDateTime ?? DBNull.Value });
    }

    private static JsonObject Summary(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : new DateTimeOffset(r.GetDateTime(i), TimeSpan.Zero);
        return new JsonObject
        {
            ["id"] = r.GetGuid(0),
            ["status"] = r.GetString(1),
            ["severity"] = r.GetString(2),
            ["title"] = r.GetString(3),
            ["asset"] = Text(4),
            ["sourceSystem"] = Text(5),
            ["alertCount"] = r.GetInt32(6),
            ["playbookSha256"] = Text(7),
            ["verdict"] = Text(8),
            ["risk"] = Text(9),
            ["approvals"] = JsonNode.Parse(r.GetString(10)),
            ["deadline"] = Time(11),
            ["createdAt"] = Time(12),
            ["lastSeenAt"] = Time(13),
            ["updatedAt"] = Time(14),
        };
    }

    public static List<string> Strings(JsonObject data, string property) =>
        data[property] is JsonArray array ? array.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null).OfType<string>().ToList() : [];
}
