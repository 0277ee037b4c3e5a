using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace SiemAi.EventStore;

/// <summary>Recomputes hash chains from the stored rows and reports every stream whose chain does not hold.</summary>
public sealed class EventStoreVerifier(NpgsqlDataSource dataSource)
{
    private const string Columns = "seq, event_id, stream_id, version, type, data::text, metadata::text, recorded_at, prev_hash, hash";

    /// <summary>Verifies one stream, or every stream when <paramref name="streamId"/> is null.</summary>
    /// <remarks>
    /// Streams are independent chains, so the whole store is read as <see cref="Partitions"/> disjoint sets of
    /// streams on parallel connections: the server's reading and the client's hashing overlap on every core.
    /// </remarks>
    public async Task<VerificationReport> VerifyAsync(string? streamId = null, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var heads = new Dictionary<string, (long Version, byte[]? Hash)>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand("SELECT stream_id, version, head_hash FROM streams WHERE $1::text IS NULL OR stream_id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)streamId ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                heads[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? null : (byte[])reader[2]);
            }
        }

        var partitions = streamId is null ? Partitions : 1;
        var counter = new ProgressCounter(progress);
        var parts = await Task.WhenAll(Enumerable.Range(0, partitions)
            .Select(k => Task.Run(() => VerifyPartitionAsync(heads, streamId, k, partitions, counter, ct), ct)));

        var faults = parts.SelectMany(p => p.Faults).ToList();
        var broken = faults.Select(f => f.StreamId).ToHashSet(StringComparer.Ordinal);
        var seen = parts.SelectMany(p => p.Seen).ToHashSet(StringComparer.Ordinal);
        foreach (var (stream, head) in heads)
        {
            if (head.Version > 0 && !broken.Contains(stream) && !seen.Contains(stream))
            {
                faults.Add(new StreamFault(stream, 1, $"stream row says version {head.Version} but it has no events"));
            }
        }

        var events = parts.Sum(p => p.Events);
        progress?.Report(events);
        return new VerificationReport(heads.Count, events, faults.OrderBy(f => f.StreamId, StringComparer.Ordinal).ToList());
    }

    /// <summary>How many connections read the store at once for a whole-store verify or digest.</summary>
    public static int Partitions { get; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    private async Task<(long Events, List<StreamFault> Faults, HashSet<string> Seen)> VerifyPartitionAsync(
        Dictionary<string, (long Version, byte[]? Hash)> heads, string? streamId, int partition, int partitions, ProgressCounter counter, CancellationToken ct)
    {
        var faults = new List<StreamFault>();
        var broken = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long events = 0;
        string? current = null;
        long lastVersion = 0;
        byte[] lastHash = [];

        void CloseStream()
        {
            if (current is null || broken.Contains(current))
            {
                return;
            }

            if (!heads.TryGetValue(current, out var head))
            {
                Fail(current, lastVersion, "events exist for a stream with no stream row");
            }
            else if (head.Version != lastVersion)
            {
                Fail(current, Math.Min(head.Version, lastVersion) + 1, $"stream row says version {head.Version} but events end at {lastVersion}");
            }
            else if (head.Hash is null || !head.Hash.AsSpan().SequenceEqual(lastHash))
            {
                Fail(current, lastVersion, "stream head hash differs from the recomputed chain");
            }
        }

        void Fail(string stream, long version, string reason)
        {
            if (broken.Add(stream))
            {
                faults.Add(new StreamFault(stream, version, reason));
            }
        }

        var sql = $"SELECT {Columns} FROM events WHERE ($1::text IS NULL OR stream_id = $1) AND {PartitionFilter} ORDER BY stream_id, version";
        await using (var command = dataSource.CreateCommand(sql))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)streamId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = partitions });
            command.Parameters.Add(new NpgsqlParameter { Value = partition });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var e = PostgresEventStore.ReadEvent(reader);
                if (!string.Equals(e.StreamId, current, StringComparison.Ordinal))
                {
                    CloseStream();
                    current = e.StreamId;
                    seen.Add(current);
                    lastVersion = 0;
                    lastHash = [];
                }

                events++;
                counter.Tick();
                if (broken.Contains(e.StreamId))
                {
                    continue;
                }

                if (e.Version != lastVersion + 1)
                {
                    Fail(e.StreamId, lastVersion + 1, $"version {lastVersion + 1} is missing (next stored is {e.Version})");
                    continue;
                }

                var storedPrevious = e.PreviousHash ?? [];
                if (!storedPrevious.AsSpan().SequenceEqual(lastHash))
                {
                    Fail(e.StreamId, e.Version, "previous hash does not link to the prior event");
                    continue;
                }

                var recomputed = EventHasher.Compute(lastHash, e);
                if (!recomputed.AsSpan().SequenceEqual(e.Hash))
                {
                    Fail(e.StreamId, e.Version, "hash does not match the event's content (changed after it was written)");
                    continue;
                }

                lastVersion = e.Version;
                lastHash = recomputed;
            }
        }

        CloseStream();
        return (events, faults, seen);
    }

    /// <summary>
    /// Digest of every stream's recomputed head as of <paramref name="asOfSequence"/> (default: the
    /// newest event). Recomputed, not read: a row changed behind the database's back changes the digest.
    /// </summary>
    public async Task<StoreDigest> DigestAsync(long? asOfSequence = null, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        long asOf;
        await using (var max = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM events"))
        {
            var newest = (long)(await max.ExecuteScalarAsync(ct))!;
            asOf = asOfSequence is { } requested ? Math.Min(requested, newest) : newest;
        }

        var counter = new ProgressCounter(progress);
        var parts = await Task.WhenAll(Enumerable.Range(0, Partitions)
            .Select(k => Task.Run(() => HeadsOfPartitionAsync(asOf, k, Partitions, counter, ct), ct)));
        var heads = new SortedDictionary<string, (long Version, byte[] Hash)>(StringComparer.Ordinal);
        long events = 0;
        foreach (var (partEvents, partHeads) in parts)
        {
            events += partEvents;
            foreach (var (stream, head) in partHeads)
            {
                heads.Add(stream, head);
            }
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (stream, head) in heads)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{stream}\0{head.Version}\0{Convert.ToHexStringLower(head.Hash)}\n"));
        }

        return new StoreDigest(asOf, heads.Count, events, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private async Task<(long Events, Dictionary<string, (long Version, byte[] Hash)> Heads)> HeadsOfPartitionAsync(
        long asOf, int partition, int partitions, ProgressCounter counter, CancellationToken ct)
    {
        var heads = new Dictionary<string, (long Version, byte[] Hash)>(StringComparer.Ordinal);
        long events = 0;
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM events WHERE seq <= $1 AND {PartitionFilter} ORDER BY stream_id, version");
        command.Parameters.Add(new NpgsqlParameter { Value = asOf });
        command.Parameters.Add(new NpgsqlParameter { Value = partitions });
        command.Parameters.Add(new NpgsqlParameter { Value = partition });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var e = PostgresEventStore.ReadEvent(reader);
            var previous = heads.TryGetValue(e.StreamId, out var head) ? head.Hash : [];
            heads[e.StreamId] = (e.Version, EventHasher.Compute(previous, e));
            events++;
            counter.Tick();
        }

        return (events, heads);
    }

    /// <summary>A stream's partition: a stable hash of its id modulo the partition count ($2), equal to $3.</summary>
    private const string PartitionFilter = "(hashtext(stream_id) & 2147483647) % $2 = $3";

    /// <summary>Progress across parallel readers, reported every 50,000 events.</summary>
    private sealed class ProgressCounter(IProgress<long>? progress)
    {
        private long count;

        public void Tick()
        {
            var now = Interlocked.Increment(ref count);
            if (now % 50_000 == 0)
            {
                progress?.Report(now);
            }
        }
    }
}
