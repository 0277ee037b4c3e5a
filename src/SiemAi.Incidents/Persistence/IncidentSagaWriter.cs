using System.Text.Json;
using MassTransit;
using Npgsql;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Timers;

namespace SiemAi.Incidents.Persistence;

/// <summary>
/// Persists one transition inside its transaction: the events it recorded (expected version = the
/// saga's stream version), its timers, the saga row (optimistic version) and the read model.
/// </summary>
public static class IncidentSagaWriter
{
    public static async Task<IncidentState?> LoadAsync(IncidentDbContext db, Guid incidentId, CancellationToken ct)
    {
        await using var command = db.Command("SELECT data, version FROM incident_sagas WHERE incident_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = incidentId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var saga = JsonSerializer.Deserialize<IncidentState>(reader.GetString(0), IncidentJson.State)!;
        saga.Version = reader.GetInt32(1);
        return saga;
    }

    /// <summary>
    /// The transition's writes go to PostgreSQL in one round trip (an <see cref="NpgsqlBatch"/>): events,
    /// timers, saga row and read model. A conflict in any of them throws, and the caller's transaction
    /// (which has not committed) takes all of them back.
    /// </summary>
    public static async Task SaveAsync(IncidentDbContext db, IncidentState saga, bool insert, Guid? causationId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(db.Connection, db.Transaction);
        var events = PendingEvents(saga, causationId);
        if (events.Count > 0)
        {
            batch.BatchCommands.Add(PostgresEventStore.AppendCommand(IncidentStream.Id(saga.CorrelationId), ExpectedVersion.Exact(saga.StreamVersion), events));
        }

        foreach (var timer in saga.PendingTimers)
        {
            batch.BatchCommands.Add(TimerCommand(saga, timer));
        }

        var previous = saga.Version;
        var sagaRow = SagaRowCommand(saga, insert, previous, saga.StreamVersion + events.Count);
        batch.BatchCommands.Add(sagaRow);
        batch.BatchCommands.Add(ReadModelCommand(saga));

        AppendResult? appended = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            if (events.Count > 0)
            {
                try
                {
                    appended = await PostgresEventStore.ReadAppendResultAsync(reader, IncidentStream.Id(saga.CorrelationId), ExpectedVersion.Exact(saga.StreamVersion), ct);
                }
                catch (WrongExpectedVersionException conflict)
                {
                    throw new IncidentConcurrencyException(saga.CorrelationId, conflict.Message);
                }
            }

            while (await reader.NextResultAsync(ct))
            {
                // The other commands answer no rows; reading past them surfaces their errors and row counts.
            }
        }

        if (sagaRow.RecordsAffected != 1)
        {
            throw new IncidentConcurrencyException(saga.CorrelationId, insert ? "it was created by another transition" : $"version {previous} is no longer current");
        }

        if (appended is { } result)
        {
            if (result.NextExpectedVersion != saga.StreamVersion + events.Count)
            {
                throw new IncidentConcurrencyException(saga.CorrelationId, $"the stream is at version {result.NextExpectedVersion}, not {saga.StreamVersion + events.Count}");
            }

            db.Appended.AddRange(saga.PendingEvents.Select((e, i) => new RecordedAuditEvent(saga.CorrelationId, saga.StreamVersion + i + 1, e.Type, e.Actor, e.PlaybookSha256)));
            saga.StreamVersion = result.NextExpectedVersion;
        }

        saga.PendingEvents.Clear();
        saga.PendingTimers.Clear();
        saga.Version = previous + 1;
    }

    private static List<EventData> PendingEvents(IncidentState saga, Guid? causationId) =>
        [.. saga.PendingEvents.Select(e => new EventData(
            NewId.NextGuid(),
            e.Type,
            IncidentEvents.Serialize(e.Event),
            new EventMetadata
            {
                Actor = e.Actor,
                CorrelationId = saga.CorrelationId,
                CausationId = causationId,
                MessageId = causationId,
                PlaybookSha256 = e.PlaybookSha256,
            }))];

    private static NpgsqlBatchCommand TimerCommand(IncidentState saga, TimerRequest timer)
    {
        var command = new NpgsqlBatchCommand(timer.Cancel
            ? "UPDATE incident_timers SET cancelled_at = now() WHERE timer_id = $1 AND fired_at IS NULL"
            : "INSERT INTO incident_timers (timer_id, incident_id, kind, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT (timer_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = timer.TimerId });
        if (!timer.Cancel)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = timer.Kind });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = timer.DueAt.UtcDateTime });
        }

        return command;
    }

    /// <summary>
    /// The saga row at version <paramref name="previous"/> + 1 as it will be once the batch's events are in
    /// (the stream at <paramref name="streamVersion"/>); an update only matches the row at <paramref name="previous"/>.
    /// </summary>
    private static NpgsqlBatchCommand SagaRowCommand(IncidentState saga, bool insert, int previous, long streamVersion)
    {
        var currentStream = saga.StreamVersion;
        saga.Version = previous + 1;
        saga.StreamVersion = streamVersion;
        string data;
        try
        {
            data = JsonSerializer.Serialize(saga, IncidentJson.State);
        }
        finally
        {
            saga.Version = previous;
            saga.StreamVersion = currentStream;
        }

        var command = new NpgsqlBatchCommand(insert
            ? "INSERT INTO incident_sagas (incident_id, current_state, version, data) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (incident_id) DO NOTHING"
            : "UPDATE incident_sagas SET current_state = $2, version = $3, data = $4::jsonb, updated_at = now() WHERE incident_id = $1 AND version = $5");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saga.CurrentState });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = previous + 1 });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = data });
        if (!insert)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = previous });
        }

        return command;
    }

    private static NpgsqlBatchCommand ReadModelCommand(IncidentState saga)
    {
        var alert = saga.Alert;
        var command = new NpgsqlBatchCommand("""
            INSERT INTO incidents (incident_id, status, severity, severity_rank, title, fingerprint, asset, source_system, alert_count,
                                   playbook_sha256, verdict, risk, approvals, deadline, created_at, last_seen_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, now())
            ON CONFLICT (incident_id) DO UPDATE SET
                status = EXCLUDED.status, alert_count = EXCLUDED.alert_count, playbook_sha256 = EXCLUDED.playbook_sha256,
                verdict = EXCLUDED.verdict, risk = EXCLUDED.risk, approvals = EXCLUDED.approvals, deadline = EXCLUDED.deadline,
                last_seen_at = EXCLUDED.last_seen_at, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saga.CurrentState });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = (alert?.Severity.ToString() ?? "Medium").ToLowerInvariant() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)(alert?.Severity ?? Contracts.Severity.Medium) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert?.Title ?? "(no alert)" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = alert?.Fingerprint ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)alert?.Asset ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)alert?.SourceSystem ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = saga.AlertCount });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)saga.PlaybookSha256 ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)saga.Verdict?.ToString().ToLowerInvariant() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)saga.Risk?.ToString().ToLowerInvariant() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(saga.Approvals, IncidentJson.Audit) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)saga.ApprovalDeadline?.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = (saga.CreatedAt == default ? DateTimeOffset.UtcNow : saga.CreatedAt).UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = (saga.LastSeenAt == default ? DateTimeOffset.UtcNow : saga.LastSeenAt).UtcDateTime });
        return command;
    }
}
