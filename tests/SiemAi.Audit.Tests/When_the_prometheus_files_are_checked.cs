using System.Diagnostics;
using SiemAi.Testing;

namespace SiemAi.Audit.Tests;

/// <summary>Our scrape config and alert rules, checked by Prometheus's own promtool (Debian package <c>prometheus</c>).</summary>
public sealed class When_the_prometheus_files_are_checked
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "infra", "prometheus");

    [Fact]
    public async Task Accepts_the_alert_rules()
    {
        var (exit, output) = await Promtool("check", "rules", "alerts.yml");

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_the_scrape_config()
    {
        var (exit, output) = await Promtool("check", "config", "prometheus.yml");

        Assert.True(exit == 0, output);
        Assert.Contains("is valid prometheus config file syntax", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fires_the_alerts_the_rule_tests_expect()
    {
        var (exit, output) = await Promtool("test", "rules", "alerts.test.yml");

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> Promtool(params string[] args)
    {
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool is missing: infra/local/services.sh --with prometheus installs it");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
