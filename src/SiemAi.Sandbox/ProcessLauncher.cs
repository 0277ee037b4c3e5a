using System.Collections.Concurrent;
using System.Diagnostics;

namespace SiemAi.Sandbox;

/// <summary>
/// Starts processes from one dedicated thread that lives as long as the service. bwrap's <c>--die-with-parent</c>
/// is <c>PR_SET_PDEATHSIG</c>, which fires when the <em>thread</em> that forked bwrap ends, not the process: started
/// from a thread-pool thread, a sandbox is SIGKILLed whenever the pool retires that thread (seen as ansible runs
/// ending with exit 137 mid-way). From this thread it dies only with the service.
/// </summary>
public static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];

    private static readonly Thread Launcher = StartThread();

    /// <summary>Starts <paramref name="start"/> on the launcher thread; throws what <see cref="Process.Start(ProcessStartInfo)"/> throws.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        _ = Launcher;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "siemai-process-launcher" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
