using System.Diagnostics;

namespace SiemAi.Runner.Tests;

/// <summary>Looks at the machine's process table the way an operator would, with <c>pgrep -f</c>.</summary>
public static class Processes
{
    public static async Task<IReadOnlyList<string>> MatchingAsync(string pattern)
    {
        var start = new ProcessStartInfo("pgrep") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-a");
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(pattern);
        using var pgrep = Process.Start(start)!;
        var output = await pgrep.StandardOutput.ReadToEndAsync();
        await pgrep.WaitForExitAsync();
        // pgrep: 0 = found, 1 = none; anything else means the check itself did not work.
        return pgrep.ExitCode switch
        {
            0 => output.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            1 => [],
            _ => throw new InvalidOperationException($"pgrep failed with {pgrep.ExitCode}"),
        };
    }
}
