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

    [Fact]
    public async Task Accepts_every_query_of_the_grafana_dashboard()
    {
        // promtool has no offline query check, so each panel query becomes a recording rule it must parse.
        using var dashboard = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "infra", "grafana", "dashboards", "siemai-pipeline.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        var rules = new System.Text.StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < queries.Count; i++)
        {
            rules.Append("      - record: dashboard:query_").Append(i).Append('\n')
                .Append("        expr: ").Append(System.Text.Json.JsonSerializer.Serialize(queries[i])).Append('\n');
        }

        var file = Path.Combine(Path.GetTempPath(), $"siemai-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            var (exit, output) = await Promtool("check", "rules", file);

            Assert.True(queries.Count >= 10, $"only {queries.Count} queries in the dashboard");
            Assert.True(exit == 0, output);
            Assert.Contains($"SUCCESS: {queries.Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
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
