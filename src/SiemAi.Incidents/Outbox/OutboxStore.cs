using System.Text.Json;
using MassTransit;
using Npgsql;
using NpgsqlTypes;
using SiemAi.Incidents.Persistence;

namespace SiemAi.Incidents.Outbox;

/// <summary>Writes outbox rows inside a transaction and publishes them (with their message id) after it.</summary>
public static class OutboxStore
{
    public static OutboxMessage ToRow(object message, Guid messageId, Guid? incidentId)
    {
        var type = message.GetType();
        return new OutboxMessage(messageId, $"{type.FullName}, {type.Assembly.GetName().Name}", JsonSerializer.Serialize(message, type, IncidentJson.State), incidentId);
    }

    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxMessage> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            "INSERT INTO outbox (message_id, message_type, body, incident_id) SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::uuid[]) ON CONFLICT (message_id) DO NOTHING",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.MessageId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.MessageType)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Body)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<Guid?[]> { TypedValue = [.. rows.Select(r => r.IncidentId)] });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// How long one publish may wait for RabbitMQ's confirm. A confirm pending on a channel the broker closed
    /// (a graceful broker restart) can stay pending forever: a consumer awaiting it never finishes, and a receive
    /// endpoint does not reconnect while one of its messages is still being handled, so its queue keeps its
    /// messages with no consumer. Past this bound the rows stay in the outbox for the relay.
    /// </summary>
    public static TimeSpan PublishBound { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Publishes each row with its own message id, so consumers can deduplicate a second delivery.</summary>
    /// <exception cref="TimeoutException">a publish was not confirmed within <see cref="PublishBound"/>.</exception>
    public static async Task PublishAsync(IPublishEndpoint publisher, IEnumerable<OutboxMessage> rows, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            var type = Type.GetType(row.MessageType, throwOnError: true)!;
            var message = JsonSerializer.Deserialize(row.Body, type, IncidentJson.State)!;
            var id = row.MessageId;
            // WaitAsync, not only the token: the transport does not pass the caller's token to a pending confirm.
            await publisher.Publish(message, type, Pipe.Execute<PublishContext>(p => p.MessageId = id), ct).WaitAsync(PublishBound, ct);
        }
    }

    public static async Task DeleteAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> messageIds, CancellationToken ct)
    {
        // A delete lost in a crash only republishes messages consumers already drop by id, so this
        // commit need not wait for the disk (it was a second synchronous commit per transition).
        // One round trip: the transaction's statements travel as one batch.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"));
        var delete = new NpgsqlBatchCommand("DELETE FROM outbox WHERE message_id = ANY($1)");
        delete.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. messageIds] });
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(ct);
    }
}
