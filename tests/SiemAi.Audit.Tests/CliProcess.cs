using System.Diagnostics;
using SiemAi.Testing;

namespace SiemAi.Audit.Tests;

/// <summary>Runs the built <c>siemai</c> CLI as an operator would, with DB_* pointing at a scratch database.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(ScratchDatabase database, params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot.Path, "src", "SiemAi.Cli", "bin", configuration, "net10.0", "siemai.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var db = ServiceSettings.Postgres(database.Name, owner: false);
        start.Environment["DB_HOST"] = db.Host;
        start.Environment["DB_PORT"] = db.Port.ToString();
        start.Environment["DB_NAME"] = database.Name;
        start.Environment["DB_USER"] = db.Username;
        start.Environment["DB_PASSWORD"] = db.Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start siemai");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
