using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.Incidents.Outbox;
using SiemAi.Incidents.Persistence;

namespace SiemAi.Incidents.Timers;

/// <summary>
/// Fires due timers from <c>incident_timers</c>: claims them with SKIP LOCKED, turns each into an
/// <see cref="IncidentTimerElapsed"/> outbox row whose message id is the timer id (so it fires once
/// even across hosts and crashes), marks it fired, commits, then publishes.
/// </summary>
public sealed class TimerSweeper(IncidentDataSource dataSource, IBus bus, ILogger<TimerSweeper> logger, TimeProvider clock) : BackgroundService
{
    private static readonly Meter Meter = new("SiemAi.Incidents.Timers");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("siemai_timer_lag_seconds", "s", "How late timers fired after their due time");

    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FireDueAsync(stoppingToken);
            }
            // A cancellation the host did not ask for (the broker's client cancelling its calls) is a failed sweep.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Timer sweep failed; retrying");
            }

            await Task.Delay(PollInterval, clock, stoppingToken);
        }
    }

    public async Task<int> FireDueAsync(CancellationToken ct)
    {
        var rows = new List<OutboxMessage>();
        await using (var db = await IncidentDbContext.BeginAsync(dataSource.Value, ct))
        {
            var due = new List<IncidentTimerElapsed>();
            await using (var select = db.Command("""
                SELECT timer_id, incident_id, kind, due_at FROM incident_timers
                 WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()
                 ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED
                """))
            await using (var reader = await select.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    due.Add(new IncidentTimerElapsed
                    {
                        TimerId = reader.GetGuid(0),
                        IncidentId = reader.GetGuid(1),
                        Kind = reader.GetString(2),
                        DueAt = new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero),
                        Timestamp = clock.GetUtcNow(),
                    });
                }
            }

            if (due.Count == 0)
            {
                return 0;
            }

            rows = [.. due.Select(t => OutboxStore.ToRow(t, t.TimerId, t.IncidentId))];
            await OutboxStore.WriteAsync(db.Connection, db.Transaction, rows, ct);
            await using (var fired = db.Command("UPDATE incident_timers SET fired_at = now() WHERE timer_id = ANY($1)"))
            {
                fired.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. due.Select(t => t.TimerId)] });
                await fired.ExecuteNonQueryAsync(ct);
            }

            await db.CommitAsync(ct);
            foreach (var t in due)
            {
                Lag.Record((clock.GetUtcNow() - t.DueAt).TotalSeconds);
            }
        }

        await OutboxStore.PublishAsync(bus, rows, ct);
        await OutboxStore.DeleteAsync(dataSource.Value, [.. rows.Select(r => r.MessageId)], ct);
        return rows.Count;
    }
}
