using System.Diagnostics;

namespace SiemAi.Testing;

/// <summary>
/// Runs SQL as the PostgreSQL superuser through local peer authentication (<c>runuser -u postgres psql</c>),
/// the way an attacker with database access would: used only to prove tampering is detected.
/// </summary>
public static class Superuser
{
    public static async Task<string> PsqlAsync(string database, string sql)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : "sudo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] prefix = asRoot ? ["-u", "postgres", "--"] : ["-n", "-u", "postgres"];
        foreach (var arg in (string[])[.. prefix,
                     "psql", "-v", "ON_ERROR_STOP=1", "-qtA", "-p", ServiceSettings.Optional("DB_PORT", "5432"), "-d", database, "-c", sql])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start psql");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"psql as postgres failed ({process.ExitCode}): {error}");
    }
}
