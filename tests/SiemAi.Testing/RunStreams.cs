using Npgsql;

namespace SiemAi.Testing;

/// <summary>The event streams of one test run's incidents (found by the run tag in their titles), as an auditor would read them.</summary>
public static class RunStreams
{
    /// <summary>Per incident stream: its (version, type) in version order.</summary>
    public static async Task<Dictionary<string, List<(long Version, string Type)>>> ReadAsync(NpgsqlConnection connection, string run)
    {
        var streams = new Dictionary<string, List<(long, string)>>();
        await using var command = new NpgsqlCommand("""
            SELECT e.stream_id, e.version, e.type FROM events e
              JOIN incidents i ON e.stream_id = 'incident-' || i.incident_id::text
             WHERE i.title LIKE '%' || $1 || '%'
             ORDER BY e.stream_id, e.version
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var stream = reader.GetString(0);
            if (!streams.TryGetValue(stream, out var events))
            {
                streams[stream] = events = [];
            }

            events.Add((reader.GetInt64(1), reader.GetString(2)));
        }

        return streams;
    }
}
