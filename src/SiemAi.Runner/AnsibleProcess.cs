using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SiemAi.Runner;

/// <summary>
/// Starts ansible-playbook, reads stdout/stderr up to their caps (the rest is drained and dropped so the
/// child never blocks on a full pipe), and enforces the wall-clock limit by killing the whole process tree.
/// </summary>
internal static class AnsibleProcess
{
    /// <summary>How long to wait for the pipes to close after the process is gone (a leftover may hold them).</summary>
    private static readonly TimeSpan PipeGrace = TimeSpan.FromSeconds(5);

    public static async Task<ProcessRun> RunAsync(
        ProcessStartInfo start, TimeSpan timeout, int maxStdout, int maxStderr, string runEnvironmentMarker, ILogger logger, CancellationToken ct)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;

        var startedAt = DateTimeOffset.UtcNow;
        // From the launcher thread: bwrap's --die-with-parent follows the thread that forked it.
        using var process = SiemAi.Sandbox.ProcessLauncher.Start(start);
        // No input: a prompt (vars_prompt, pause without seconds) sees end of file instead of waiting forever.
        process.StandardInput.Close();
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, maxStdout);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream, maxStderr);

        using var deadline = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = deadline.IsCancellationRequested;
            logger.LogWarning("ansible-playbook (pid {Pid}) {Why}; killing its process tree", process.Id, timedOut ? $"passed the {timeout.TotalSeconds:0.###} s timeout" : "was cancelled");
            KillTree(process, logger);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Whatever escaped the tree (daemonised async tasks, background shells) still carries the run's HOME.
        var leftovers = ProcessSweeper.KillProcessesWithEnvironment(runEnvironmentMarker);
        if (leftovers > 0)
        {
            logger.LogWarning("Killed {Count} leftover process(es) of the run after ansible-playbook ended", leftovers);
        }

        var endedAt = DateTimeOffset.UtcNow;
        var (outBytes, outTruncated) = await WithGrace(stdout);
        var (errBytes, errTruncated) = await WithGrace(stderr);
        ct.ThrowIfCancellationRequested();
        return new ProcessRun(timedOut ? null : process.ExitCode, outBytes, outTruncated, errBytes, errTruncated, timedOut, leftovers, startedAt, endedAt);
    }

    private static void KillTree(Process process, ILogger logger)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException ex)
        {
            // The process ended on its own between the deadline and the kill.
            logger.LogDebug(ex, "ansible-playbook had already exited when it was to be killed");
        }
    }

    private static async Task<(byte[] Bytes, bool Truncated)> WithGrace(Task<(byte[] Bytes, bool Truncated)> read)
    {
        var finished = await Task.WhenAny(read, Task.Delay(PipeGrace));
        return finished == read ? await read : ([], true);
    }

    private static async Task<(byte[] Bytes, bool Truncated)> ReadCappedAsync(Stream stream, int cap)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var truncated = false;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            var room = cap - (int)kept.Length;
            if (room > 0)
            {
                kept.Write(buffer, 0, Math.Min(read, room));
            }

            truncated |= read > room;
        }

        return (kept.ToArray(), truncated);
    }
}
