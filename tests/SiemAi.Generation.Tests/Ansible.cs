using System.Diagnostics;

namespace SiemAi.Generation.Tests;

/// <summary>Runs the real ansible-playbook.</summary>
internal static class Ansible
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> PlaybookAsync(params string[] args)
    {
        var start = new ProcessStartInfo("ansible-playbook")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ANSIBLE_NOCOLOR"] = "1";
        start.Environment["ANSIBLE_HOST_KEY_CHECKING"] = "False";
        start.Environment["ANSIBLE_RETRY_FILES_ENABLED"] = "False";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ansible-playbook did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("ansible-playbook hung: " + string.Join(' ', args));
        }

        return new Result(process.ExitCode, await stdout + await stderr);
    }

    public static async Task<string> WriteTempAsync(string yaml, string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "siemai-generation-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
