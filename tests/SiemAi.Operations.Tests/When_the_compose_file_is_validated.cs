using System.Diagnostics;
using SiemAi.Testing;

namespace SiemAi.Operations.Tests;

/// <summary>
/// There is no Docker engine on the build machines, but Compose itself (Debian's docker-compose) validates
/// a file against the Compose specification and resolves its variables without one: what `docker compose up`
/// would refuse, this refuses too. The file is read as an operator uses it, with the sample copied to `.env`.
/// </summary>
public sealed class When_the_compose_file_is_validated : IDisposable
{
    private readonly string project = Directory.CreateTempSubdirectory("siemai-compose-").FullName;

    public When_the_compose_file_is_validated() =>
        File.Copy(Path.Combine(RepositoryRoot.Path, ".env.sample"), Path.Combine(project, ".env"));

    [Fact]
    public async Task Compose_accepts_the_file_with_the_sample_settings()
    {
        var (exitCode, output) = await ConfigAsync(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"), "config", "--services");

        Assert.True(exitCode == 0, output);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var role in new[] { "ingestion", "saga", "generator", "safety", "approvals", "runner", "rabbitmq", "postgres", "prometheus", "grafana" })
        {
            Assert.Contains(role, services);
        }
    }

    [Fact]
    public async Task Compose_refuses_a_copy_with_a_condition_it_does_not_know()
    {
        var broken = Path.Combine(project, "broken.yml");
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));
        Assert.Contains("condition: service_healthy", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(broken, text.Replace("condition: service_healthy", "condition: service_happy", StringComparison.Ordinal));

        var (exitCode, output) = await ConfigAsync(broken, "config", "-q");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("service_happy", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(project, recursive: true);

    private async Task<(int ExitCode, string Output)> ConfigAsync(string file, params string[] command)
    {
        const string executable = "/usr/bin/docker-compose";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: run infra/local/test.sh (it installs Debian's docker-compose).");
        }

        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--project-directory", project, "-f", file, .. command])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
