using System.Text.Json;
using MassTransit;
using Npgsql;
using SiemAi.EventStore;
using SiemAi.Incidents.Timers;

namespace SiemAi.Incidents.Persistence;

/// <summary>
/// Persists one transition inside its transaction: the events it recorded (expected version = the
/// saga's stream version), its timers, the saga row (optimistic version) and the read model.
/// </summary>
public static class IncidentSagaWriter
{
    public static string StreamId(Guid incidentId) => $"incident-{incidentId:D}";

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

    public static async Task SaveAsync(IncidentDbContext db, IncidentState saga, bool insert, Guid? causationId, CancellationToken ct)
    {
        await AppendEventsAsync(db, saga, causationId, ct);
        await WriteTimersAsync(db, saga, ct);

        var previous = saga.Version;
        saga.Version = previous + 1;
        var data = JsonSerializer.Serialize(saga, IncidentJson.State);
        await using (var command = insert
            ? db.Command("INSERT INTO incident_sagas (incident_id, current_state, version, data) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (incident_id) DO NOTHING")
            : db.Command("UPDATE incident_sagas SET current_state = $2, version = $3, data = $4::jsonb, updated_at = now() WHERE incident_id = $1 AND version = $5"))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saga.CurrentState });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = saga.Version });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = data });
            if (!insert)
            {
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = previous });
            }

            if (await command.ExecuteNonQueryAsync(ct) != 1)
            {
                saga.Version = previous;
                throw new IncidentConcurrencyException(saga.CorrelationId, insert ? "it was created by another transition" : $"version {previous} is no longer current");
            }
        }

        await UpsertReadModelAsync(db, saga, ct);
    }

    private static async Task AppendEventsAsync(IncidentDbContext db, IncidentState saga, Guid? causationId, CancellationToken ct)
    {
        if (saga.PendingEvents.Count == 0)
        {
            return;
        }

        var events = saga.PendingEvents.Select(e => new EventData(
            NewId.NextGuid(),
            e.Type,
            JsonSerializer.Serialize(e.Data, e.Data.GetType(), IncidentJson.Audit),
            new EventMetadata
            {
                Actor = e.Actor,
                CorrelationId = saga.CorrelationId,
                CausationId = causationId,
                MessageId = causationId,
                PlaybookSha256 = e.PlaybookSha256,
            })).ToList();
        try
        {
            var result = await PostgresEventStore.AppendAsync(db.Connection, StreamId(saga.CorrelationId), ExpectedVersion.Exact(saga.StreamVersion), events, ct);
            db.Appended.AddRange(saga.PendingEvents.Select((e, i) => new RecordedAuditEvent(saga.CorrelationId, saga.StreamVersion + i + 1, e.Type, e.Actor, e.PlaybookSha256)));
            saga.StreamVersion = result.NextExpectedVersion;
        }
        catch (WrongExpectedVersionException conflict)
        {
            throw new IncidentConcurrencyException(saga.CorrelationId, conflict.Message);
        }

        saga.PendingEvents.Clear();
    }

    private static async Task WriteTimersAsync(IncidentDbContext db, IncidentState saga, CancellationToken ct)
    {
        foreach (var timer in saga.PendingTimers)
        {
            await using var command = timer.Cancel
                ? db.Command("UPDATE incident_timers SET cancelled_at = now() WHERE timer_id = $1 AND fired_at IS NULL")
                : db.Command("INSERT INTO incident_timers (timer_id, incident_id, kind, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT (timer_id) DO NOTHING");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = timer.TimerId });
            if (!timer.Cancel)
            {
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = saga.CorrelationId });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = timer.Kind });
                command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = timer.DueAt.UtcDateTime });
            }

            await command.ExecuteNonQueryAsync(ct);
        }

        saga.PendingTimers.Clear();
    }

    private static async Task UpsertReadModelAsync(IncidentDbContext db, IncidentState saga, CancellationToken ct)
    {
        var alert = saga.Alert;
        await using var command = db.Command("""
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
        await command.ExecuteNonQueryAsync(ct);
    }
}
