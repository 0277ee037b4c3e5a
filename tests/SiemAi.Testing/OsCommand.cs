using System.Diagnostics;

namespace SiemAi.Testing;

/// <summary>
/// Runs a program to completion and hands back its exit code and output, optionally as another OS user
/// (<c>runuser</c> when the tests run as root, <c>sudo -n</c> otherwise): PostgreSQL refuses to run as root.
/// </summary>
internal static class OsCommand
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string? asUser = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asUser is null ? program : asRoot ? "runuser" : "sudo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (asUser is not null)
        {
            foreach (var arg in asRoot ? ["-u", asUser, "--", program] : (string[])["-n", "-u", asUser, program])
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
        }

        return new Result(process.ExitCode, await output + await error);
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit is an error naming the command and its output.</summary>
    public static async Task<string> RequireAsync(string program, IEnumerable<string> arguments, string? asUser = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var args = arguments.ToList();
        var result = await RunAsync(program, args, asUser, workingDirectory, timeout);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Output}");
    }
}
