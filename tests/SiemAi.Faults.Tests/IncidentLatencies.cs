using System.Globalization;
using Npgsql;
using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// How long each incident of a run took from its <c>alert_received</c> to its <c>approval_requested</c>, as the
/// stream records it: what a failover costs the analysts waiting for the approval request.
/// </summary>
public static class IncidentLatencies
{
    /// <summary>Per incident of the run: when the alert was recorded and the seconds until the approval request.</summary>
    public static async Task<List<(DateTimeOffset ReceivedAt, double Seconds)>> ReadAsync(ScratchDatabase database, string run)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.AppConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT min(e.recorded_at) FILTER (WHERE e.type = 'alert_received'),
                   extract(epoch FROM min(e.recorded_at) FILTER (WHERE e.type = 'approval_requested')
                                    - min(e.recorded_at) FILTER (WHERE e.type = 'alert_received'))::float8
              FROM events e JOIN incidents i ON e.stream_id = 'incident-' || i.incident_id::text
             WHERE i.title LIKE '%' || $1 || '%'
             GROUP BY e.stream_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        var rows = new List<(DateTimeOffset, double)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0) && !reader.IsDBNull(1))
            {
                rows.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1)));
            }
        }

        return rows;
    }

    /// <summary>"p50 x s, max y s, n over 5 s" for a report line.</summary>
    public static string Summary(IReadOnlyCollection<(DateTimeOffset ReceivedAt, double Seconds)> latencies)
    {
        if (latencies.Count == 0)
        {
            return "no incidents";
        }

        var sorted = latencies.Select(l => l.Seconds).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"alert to approval request p50 {sorted[sorted.Count / 2]:F1} s, max {sorted[^1]:F1} s, {sorted.Count(s => s > 5)} of {sorted.Count} over 5 s");
    }
}
