using System.Diagnostics;
using System.Globalization;

namespace SiemAi.Testing;

/// <summary>The built <c>siemai</c> CLI run against a scratch database with the application role, as an auditor would.</summary>
public static class SiemAiCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(ScratchDatabase database, params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot.Path, "src", "SiemAi.Cli", "bin", configuration, "net10.0", "siemai.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var db = ServiceSettings.Postgres(database.Name, owner: false);
        start.Environment["DB_HOST"] = db.Host;
        start.Environment["DB_PORT"] = db.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["DB_NAME"] = database.Name;
        start.Environment["DB_USER"] = db.Username;
        start.Environment["DB_PASSWORD"] = db.Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the siemai CLI");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
