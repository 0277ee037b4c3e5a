using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace SiemAi.Runner;

/// <summary>
/// Finds processes that still carry a run's environment after ansible-playbook is gone. Every process of a
/// run inherits <c>HOME=&lt;run directory&gt;</c>, which nothing else on the machine has, so it marks even
/// processes that left the tree (an <c>async</c> task's daemonised wrapper, a <c>nohup</c> in a shell task).
/// </summary>
internal static class ProcessSweeper
{
    /// <summary>Kills every process whose environment holds <paramref name="entry"/>; returns how many were killed.</summary>
    public static int KillProcessesWithEnvironment(string entry)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var needle = Encoding.UTF8.GetBytes("\0" + entry + "\0");
        var self = Environment.ProcessId;
        var killed = 0;
        // A process may fork while we kill its parent: look again until a pass finds nothing.
        for (var pass = 0; pass < 5; pass++)
        {
            var found = 0;
            foreach (var pid in Pids())
            {
                if (pid == self || !EnvironmentContains(pid, needle))
                {
                    continue;
                }

                found++;
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    killed++;
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
                {
                    // It exited between the scan and the kill: that is the outcome we wanted.
                }
            }

            if (found == 0)
            {
                break;
            }

            Thread.Sleep(50);
        }

        return killed;
    }

    private static IEnumerable<int> Pids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                yield return pid;
            }
        }
    }

    private static bool EnvironmentContains(int pid, byte[] needle)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone, or another user's process: not one of ours either way.
            return false;
        }

        var span = environ.AsSpan();
        // Entries are NUL-separated: match at the start or right after a NUL, never inside another value.
        return span.StartsWith(needle.AsSpan(1)) || span.IndexOf(needle) >= 0;
    }
}
