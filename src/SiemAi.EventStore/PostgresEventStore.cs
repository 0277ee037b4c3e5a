using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SiemAi.EventStore;

/// <summary>
/// The append-only event store on PostgreSQL. Appends go through <c>es_append</c>, which locks the
/// stream row, checks the expected version, deduplicates retried event ids and extends the hash chain,
/// all in one statement; reads are plain SQL over the indexes the auditors need.
/// </summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource)
{
    private const string AppendSql = "SELECT status, stream_version FROM es_append($1, $2, $3, $4, $5, $6)";
    private const string Columns = "seq, event_id, stream_id, version, type, data::text, metadata::text, recorded_at, prev_hash, hash";

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Appends in a transaction of its own.</summary>
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await AppendAsync(connection, streamId, expected, events, ct);
    }

    /// <summary>
    /// Appends on the caller's connection, inside whatever transaction it has open, so state and
    /// events commit together. The stream row stays locked until that transaction ends.
    /// </summary>
    public static async Task<AppendResult> AppendAsync(NpgsqlConnection connection, string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken ct = default)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(AppendCommand(streamId, expected, events));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadAppendResultAsync(reader, streamId, expected, ct);
    }

    /// <summary>
    /// The append as one command of the caller's <see cref="NpgsqlBatch"/>, so a transaction's other writes
    /// travel in the same round trip; read its answer with <see cref="ReadAppendResultAsync"/>.
    /// </summary>
    public static NpgsqlBatchCommand AppendCommand(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        if (events.Count == 0)
        {
            throw new ArgumentException("Nothing to append.", nameof(events));
        }

        var command = new NpgsqlBatchCommand(AppendSql);
        AddAppendParameters(command.Parameters, streamId, expected, events);
        return command;
    }

    /// <summary>Reads the result set of an <see cref="AppendCommand"/> the reader is positioned on.</summary>
    /// <exception cref="WrongExpectedVersionException">The stream was not at the expected version.</exception>
    /// <exception cref="EventIdConflictException">An event id was already used elsewhere.</exception>
    public static async Task<AppendResult> ReadAppendResultAsync(NpgsqlDataReader reader, string streamId, ExpectedVersion expected, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("es_append answered no row.");
        }

        return ToResult(streamId, expected, reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>
    /// The bulk path: many streams in one round trip and one transaction (each stream's events go in
    /// with one <c>unnest</c> insert). All or nothing: a conflict on any stream rolls back the batch.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        if (appends.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var append in appends)
        {
            batch.BatchCommands.Add(AppendCommand(append.StreamId, append.Expected, append.Events));
        }

        var results = new List<AppendResult>(appends.Count);
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            var i = 0;
            do
            {
                results.Add(await ReadAppendResultAsync(reader, appends[i].StreamId, appends[i].Expected, ct));
                i++;
            }
            while (await reader.NextResultAsync(ct));
        }

        await transaction.CommitAsync(ct);
        return results;
    }

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM streams WHERE stream_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        return await command.ExecuteScalarAsync(ct) is long version ? version : 0;
    }

    /// <summary>A stream's events from <paramref name="fromVersion"/> to <paramref name="toVersion"/> (inclusive), in order.</summary>
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, long toVersion = long.MaxValue, CancellationToken ct = default) =>
        QueryAsync($"SELECT {Columns} FROM events WHERE stream_id = $1 AND version BETWEEN $2 AND $3 ORDER BY version", [streamId, fromVersion, toVersion], ct);

    /// <summary>Every stream's events in global order after <paramref name="afterSequence"/>, read in batches.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterSequence = 0, int batchSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        while (true)
        {
            var read = 0;
            await foreach (var e in QueryAsync($"SELECT {Columns} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2", [afterSequence, batchSize], ct))
            {
                read++;
                afterSequence = e.Sequence;
                yield return e;
            }

            if (read < batchSize)
            {
                yield break;
            }
        }
    }

    /// <summary>Events recorded in [<paramref name="from"/>, <paramref name="until"/>), optionally of one type, in global order.</summary>
    public IAsyncEnumerable<RecordedEvent> ReadByTimeAsync(DateTimeOffset from, DateTimeOffset until, string? type = null, CancellationToken ct = default) =>
        QueryAsync($"SELECT {Columns} FROM events WHERE recorded_at >= $1 AND recorded_at < $2 AND ($3::text IS NULL OR type = $3) ORDER BY seq",
            [from.ToUniversalTime(), until.ToUniversalTime(), (object?)type ?? DBNull.Value], ct);

    public IAsyncEnumerable<RecordedEvent> ReadByTypeAsync(string type, long afterSequence = 0, CancellationToken ct = default) =>
        QueryAsync($"SELECT {Columns} FROM events WHERE type = $1 AND seq > $2 ORDER BY seq", [type, afterSequence], ct);

    internal static RecordedEvent ReadEvent(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.GetInt64(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero),
        reader.IsDBNull(8) ? null : (byte[])reader[8],
        (byte[])reader[9]);

    private async IAsyncEnumerable<RecordedEvent> QueryAsync(string sql, object[] parameters, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return ReadEvent(reader);
        }
    }

    private static void AddAppendParameters(NpgsqlParameterCollection parameters, string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        var ids = new Guid[events.Count];
        var types = new string[events.Count];
        var data = new string[events.Count];
        var metadata = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            ids[i] = e.EventId;
            types[i] = e.Type;
            data[i] = e.Data;
            metadata[i] = JsonSerializer.Serialize(e.Metadata, EventStoreJson.Options);
        }

        parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Value });
        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
    }

    private static AppendResult ToResult(string streamId, ExpectedVersion expected, string status, long version) => status switch
    {
        "appended" => new AppendResult(version, AlreadyAppended: false),
        "duplicate" => new AppendResult(version, AlreadyAppended: true),
        "conflict" => throw new WrongExpectedVersionException(streamId, expected, version),
        "id_conflict" => throw new EventIdConflictException(streamId, version),
        _ => throw new InvalidOperationException($"es_append answered '{status}'."),
    };
}
