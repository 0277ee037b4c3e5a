using MassTransit;
using MassTransit.Saga;
using Microsoft.Extensions.Logging;
using Npgsql;
using SiemAi.Incidents.Outbox;

namespace SiemAi.Incidents.Persistence;

/// <summary>
/// MassTransit's saga repository seam for incidents. Per consumed message: one transaction that records
/// the message id in the inbox (a redelivery is acknowledged and does nothing), runs the transition,
/// writes saga row + events + read model + timers + outbox rows, commits, then publishes the outbox rows.
/// A crash after commit loses nothing: the outbox relay publishes what is left.
/// </summary>
public sealed class PostgresIncidentRepositoryContextFactory(
    IncidentDataSource dataSource,
    ISagaConsumeContextFactory<IncidentDbContext, IncidentState> factory,
    ILogger<PostgresIncidentRepositoryContextFactory> logger)
    : ISagaRepositoryContextFactory<IncidentState>, ILoadSagaRepositoryContextFactory<IncidentState>, IQuerySagaRepositoryContextFactory<IncidentState>
{
    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<IncidentState, T>> next)
        where T : class
    {
        var outbox = new TransitionOutbox();
        List<OutboxMessage> rows;
        await using (var db = await IncidentDbContext.BeginAsync(dataSource.Value, context.CancellationToken))
        {
            if (context.MessageId is { } messageId && !await RecordInboxAsync(db, messageId, context.CorrelationId, context.CancellationToken))
            {
                logger.LogInformation("Message {MessageId} ({MessageType}) was already consumed; acknowledging the redelivery", messageId, typeof(T).Name);
                return;
            }

            await next.Send(new PostgresIncidentRepositoryContext<T>(db, context, factory, outbox));

            var incidentId = IncidentOf(outbox);
            rows = [.. outbox.Messages.Select(m => OutboxStore.ToRow(m, NewId.NextGuid(), incidentId(m)))];
            await OutboxStore.WriteAsync(db.Connection, db.Transaction, rows, context.CancellationToken);
            await db.CommitAsync(context.CancellationToken);
            foreach (var e in db.Appended)
            {
#pragma warning disable CA1727 // Property names are the seed's audit-log fields (event_type, incident_id): operators' jq queries rely on them.
                logger.LogInformation(
                    "Audit event {event_type} recorded for incident {incident_id} at version {version} by {actor} (playbook {playbook_sha256})",
                    e.EventType, e.IncidentId, e.Version, e.Actor, e.PlaybookSha256);
#pragma warning restore CA1727
            }
        }

        FaultInjection.AfterCommit();
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await OutboxStore.PublishAsync(context, rows, context.CancellationToken);
            await OutboxStore.DeleteAsync(dataSource.Value, [.. rows.Select(r => r.MessageId)], context.CancellationToken);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            // Committed already (a broker that vanished surfaces as a TaskCanceledException of its client, too): the relay publishes these rows later, so the consumed message must not fail now.
            logger.LogWarning(ex, "Publishing {Count} outbox message(s) after commit failed; the outbox relay will retry", rows.Count);
        }
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<IncidentState> query, IPipe<SagaRepositoryQueryContext<IncidentState, T>> next)
        where T : class =>
        throw new NotSupportedException("Incidents correlate by IncidentId only; query correlation is not supported.");

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<IncidentState>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class => ExecuteAsync(asyncMethod, cancellationToken);

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<IncidentState>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class => ExecuteAsync(asyncMethod, cancellationToken);

    private async Task<T> ExecuteAsync<T>(Func<PostgresIncidentLoadContext, Task<T>> asyncMethod, CancellationToken cancellationToken)
    {
        await using var db = await IncidentDbContext.BeginAsync(dataSource.Value, cancellationToken);
        var result = await asyncMethod(new PostgresIncidentLoadContext(db, cancellationToken));
        await db.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<bool> RecordInboxAsync(IncidentDbContext db, Guid messageId, Guid? incidentId, CancellationToken ct)
    {
        await using var command = db.Command("INSERT INTO saga_inbox (message_id, incident_id) VALUES ($1, $2) ON CONFLICT (message_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)incidentId ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static Func<object, Guid?> IncidentOf(TransitionOutbox outbox) =>
        message => message.GetType().GetProperty("IncidentId")?.GetValue(message) as Guid?;
}
