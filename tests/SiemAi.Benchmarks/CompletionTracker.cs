using System.Collections.Concurrent;
using System.Diagnostics;

namespace SiemAi.Benchmarks;

/// <summary>Counts incidents of the current round reaching AwaitingApproval and how long each took from its publish.</summary>
public sealed class CompletionTracker
{
    private readonly ConcurrentDictionary<Guid, long> pending = new();
    private readonly List<double> latencies = [];
    private TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int expected;
    private int completed;

    public int Completed => Volatile.Read(ref completed);

    /// <summary>Starts a round of <paramref name="count"/> incidents; messages of earlier rounds are ignored from here on.</summary>
    public void Begin(int count)
    {
        pending.Clear();
        lock (latencies)
        {
            latencies.Clear();
        }

        expected = count;
        Volatile.Write(ref completed, 0);
        done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Call before publishing, so a fast pipeline cannot finish before the clock starts.</summary>
    public void Started(Guid incidentId) => pending[incidentId] = Stopwatch.GetTimestamp();

    public void Reached(Guid incidentId)
    {
        // TryRemove also drops a redelivered status message and strays from an earlier round.
        if (!pending.TryRemove(incidentId, out var started))
        {
            return;
        }

        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (latencies)
        {
            latencies.Add(ms);
        }

        if (Interlocked.Increment(ref completed) == expected)
        {
            done.TrySetResult();
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await done.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Completed} of {expected} incidents reached AwaitingApproval within {timeout.TotalSeconds:0} s.");
        }
    }

    public IReadOnlyList<double> Latencies()
    {
        lock (latencies)
        {
            return [.. latencies];
        }
    }
}
