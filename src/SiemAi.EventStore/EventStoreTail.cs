using System.Runtime.CompilerServices;

namespace SiemAi.EventStore;

/// <summary>
/// Follows the store in global order and hands out every committed event exactly once, including events
/// that commit late. A sequence number is taken when the row is inserted, not when its transaction
/// commits, so a writer holding sequence 10 can commit after the writer holding 11: a reader that
/// remembered only "everything after 11" would skip 10 forever. The tail keeps a safe point below which
/// nothing can still appear, remembers what it already handed out above it, and treats a gap as
/// permanent (a rolled-back insert) only once it is older than <paramref name="gapTimeout"/>: longer
/// than any transaction that appends events may stay open.
/// </summary>
public sealed class EventStoreTail(PostgresEventStore store, long afterSequence, TimeSpan gapTimeout)
{
    private readonly SortedSet<long> seenAboveSafePoint = [];
    private long safePoint = afterSequence;
    private long gapAt = -1;
    private DateTime gapSince;

    /// <summary>Everything below this sequence has been handed out or is known never to exist.</summary>
    public long SafePoint => safePoint;

    /// <summary>Committed events not handed out before, in sequence order (within each call).</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadNewAsync(int batchSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var e in store.ReadAllAsync(safePoint, batchSize, ct))
        {
            if (seenAboveSafePoint.Add(e.Sequence))
            {
                yield return e;
            }
        }

        Advance(DateTime.UtcNow);
    }

    private void Advance(DateTime now)
    {
        while (seenAboveSafePoint.Count > 0)
        {
            var lowest = seenAboveSafePoint.Min;
            if (lowest == safePoint + 1)
            {
                seenAboveSafePoint.Remove(lowest);
                safePoint = lowest;
                continue;
            }

            // A gap at safePoint + 1: an uncommitted writer, or a sequence number that will never be used.
            if (gapAt != safePoint + 1)
            {
                gapAt = safePoint + 1;
                gapSince = now;
                return;
            }

            if (now - gapSince < gapTimeout)
            {
                return;
            }

            safePoint = lowest - 1;
        }
    }
}
