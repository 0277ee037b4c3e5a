using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SiemAi.Incidents.Persistence;

namespace SiemAi.Incidents.Outbox;

/// <summary>
/// Publishes outbox rows that the committing process did not (it crashed, or the broker was down).
/// Rows are claimed with SKIP LOCKED, so several hosts relay without publishing a row twice at once;
/// a rare second publish after a crash is deduplicated by consumers on the message id.
/// </summary>
public sealed class OutboxRelay(IncidentDataSource dataSource, IBus bus, ILogger<OutboxRelay> logger, TimeProvider clock) : BackgroundService
{
    private static readonly Meter Meter = new("SiemAi.Incidents");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("siemai_outbox_lag_seconds", "s", "Age of outbox rows when the relay published them");

    /// <summary>Rows younger than this are left to the process that wrote them.</summary>
    public static TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var relayed = 0;
            try
            {
                relayed = await RelayOnceAsync(stoppingToken);
            }
            // Not `ex is not OperationCanceledException`: when the broker goes away the RabbitMQ client cancels
            // its own pending calls, and that TaskCanceledException is a failed pass, not the host stopping.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox relay pass failed; retrying");
            }

            if (relayed == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stoppingToken);
            }
        }
    }

    public async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        await using var db = await IncidentDbContext.BeginAsync(dataSource.Value, ct);
        var rows = new List<(OutboxMessage Row, DateTime CreatedAt)>();
        await using (var select = db.Command("SELECT message_id, message_type, body::text, incident_id, created_at FROM outbox WHERE created_at < now() - $1 ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED"))
        {
            select.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = Grace });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((new OutboxMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3)), reader.GetDateTime(4)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        await OutboxStore.PublishAsync(bus, rows.Select(r => r.Row), ct);
        await using (var delete = db.Command("DELETE FROM outbox WHERE message_id = ANY($1)"))
        {
            delete.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.Row.MessageId)] });
            await delete.ExecuteNonQueryAsync(ct);
        }

        await db.CommitAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (_, createdAt) in rows)
        {
            Lag.Record((now - createdAt).TotalSeconds);
        }

        logger.LogInformation("Outbox relay published {Count} message(s) left behind", rows.Count);
        return rows.Count;
    }
}
