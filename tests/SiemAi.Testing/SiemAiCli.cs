using System.Diagnostics;
using System.Globalization;

namespace SiemAi.Testing;

/// <summary>Runs the built <c>siemai</c> CLI as an auditor would, with DB_* pointing at a scratch database on whichever server holds it.</summary>
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

        start.Environment["DB_HOST"] = database.Server.Host;
        start.Environment["DB_PORT"] = database.Server.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["DB_NAME"] = database.Name;
        start.Environment["DB_USER"] = database.Server.AppUser;
        start.Environment["DB_PASSWORD"] = database.Server.AppPassword;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the siemai CLI");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
