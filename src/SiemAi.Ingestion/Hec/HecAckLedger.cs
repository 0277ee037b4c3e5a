using System.Collections.Concurrent;

namespace SiemAi.Ingestion.Hec;

/// <summary>
/// Indexer-acknowledgement ids per (key, channel). An id is handed out only after every alert of its request
/// was confirmed by RabbitMQ, so every id ever issued is acknowledged; what the ledger answers is whether this
/// key issued it on this channel (another key's channel of the same GUID is another channel). Bounded: past
/// <see cref="MaxChannels"/> the least recently used channel is forgotten (its ids then read false and the
/// client re-sends, which dedup absorbs).
/// </summary>
public sealed class HecAckLedger
{
    public const int MaxChannels = 10_000;

    private readonly ConcurrentDictionary<(string Key, Guid Channel), Channel> channels = new();
    private long clock;

    /// <summary>The next ack id of the channel (0, 1, 2, ...).</summary>
    public long Issue(string keyName, Guid channel)
    {
        if (channels.Count >= MaxChannels && !channels.ContainsKey((keyName, channel)))
        {
            var oldest = channels.MinBy(c => Volatile.Read(ref c.Value.LastUsed));
            channels.TryRemove(oldest.Key, out _);
        }

        var state = channels.GetOrAdd((keyName, channel), _ => new Channel());
        Volatile.Write(ref state.LastUsed, Interlocked.Increment(ref clock));
        return Interlocked.Increment(ref state.Next) - 1;
    }

    public bool IsAcknowledged(string keyName, Guid channel, long ackId) =>
        ackId >= 0 && channels.TryGetValue((keyName, channel), out var state) && ackId < Volatile.Read(ref state.Next);

    private sealed class Channel
    {
        public long Next;
        public long LastUsed;
    }
}
