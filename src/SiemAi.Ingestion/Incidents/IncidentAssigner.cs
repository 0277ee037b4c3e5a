using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace SiemAi.Ingestion.Incidents;

/// <summary>
/// Maps (fingerprint, dedup window) to an incident id with one atomic statement. The fingerprint row's lock
/// serialises concurrent alerts of one fingerprint, so a storm opens exactly one incident per fingerprint
/// and every alert is counted once (a repeated alert id is not counted again).
/// </summary>
public sealed class IncidentAssigner(NpgsqlDataSource dataSource, IOptionsMonitor<IngestionOptions> options)
{
    private const string Sql = """
        WITH fp AS (
            INSERT INTO ingestion_fingerprints AS f (fingerprint, incident_id, first_seen, last_seen, alert_count)
            SELECT @fingerprint, @new_incident, @now, @now, 1
            WHERE NOT EXISTS (SELECT 1 FROM ingestion_alerts WHERE alert_id = @alert_id)
            ON CONFLICT (fingerprint) DO UPDATE SET
                incident_id = CASE WHEN f.last_seen > EXCLUDED.last_seen - @window THEN f.incident_id ELSE EXCLUDED.incident_id END,
                first_seen  = CASE WHEN f.last_seen > EXCLUDED.last_seen - @window THEN f.first_seen  ELSE EXCLUDED.first_seen END,
                alert_count = CASE WHEN f.last_seen > EXCLUDED.last_seen - @window THEN f.alert_count + 1 ELSE 1 END,
                last_seen   = CASE WHEN f.last_seen > EXCLUDED.last_seen - @window THEN GREATEST(f.last_seen, EXCLUDED.last_seen) ELSE EXCLUDED.last_seen END
            RETURNING f.incident_id, f.first_seen, f.last_seen, f.alert_count
        ), incident AS (
            INSERT INTO ingestion_incidents AS i (incident_id, fingerprint, first_seen, last_seen, alert_count)
            SELECT incident_id, @fingerprint, first_seen, last_seen, alert_count FROM fp
            ON CONFLICT (incident_id) DO UPDATE SET last_seen = EXCLUDED.last_seen, alert_count = EXCLUDED.alert_count
            RETURNING i.incident_id, i.alert_count
        ), recorded AS (
            INSERT INTO ingestion_alerts (alert_id, incident_id, fingerprint, received_at)
            SELECT @alert_id, incident_id, @fingerprint, @now FROM incident
        )
        SELECT incident_id, alert_count, false AS duplicate FROM incident
        UNION ALL
        SELECT incident_id, NULL, true FROM ingestion_alerts WHERE alert_id = @alert_id
        """;

    public async Task<IncidentAssignment> AssignAsync(Guid alertId, string fingerprint, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAssignAsync(alertId, fingerprint, receivedAt, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                // The same alert id raced in concurrently and committed first: the statement rolled back
                // entirely (nothing counted), and the next attempt sees the committed row as a duplicate.
            }
        }
    }

    private async Task<IncidentAssignment> TryAssignAsync(Guid alertId, string fingerprint, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var newIncident = Guid.CreateVersion7(receivedAt);
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<string>("fingerprint", NpgsqlDbType.Text) { TypedValue = fingerprint });
        command.Parameters.Add(new NpgsqlParameter<Guid>("new_incident", NpgsqlDbType.Uuid) { TypedValue = newIncident });
        command.Parameters.Add(new NpgsqlParameter<Guid>("alert_id", NpgsqlDbType.Uuid) { TypedValue = alertId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = receivedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("window", NpgsqlDbType.Interval) { TypedValue = options.CurrentValue.DedupWindow });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The assignment statement returned no row.");
        }

        var incidentId = reader.GetGuid(0);
        var duplicate = reader.GetBoolean(2);
        return duplicate
            ? new IncidentAssignment(incidentId, false, null, true)
            : new IncidentAssignment(incidentId, incidentId == newIncident, reader.GetInt64(1), false);
    }
}
