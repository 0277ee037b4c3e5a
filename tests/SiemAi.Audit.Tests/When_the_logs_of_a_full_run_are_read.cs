namespace SiemAi.Audit.Tests;

[Collection(MonitoredHostCollection.Name)]
public sealed class When_the_logs_of_a_full_run_are_read(MonitoredHost run)
{
    [Fact]
    public async Task Finds_no_configured_secret_in_them()
    {
        // Let the run finish its work (saga transitions, scrapes) so its logs are complete.
        await run.ScrapeUntilAsync(s => s.Sum("siemai_audit_events_total", ("event_type", "alert_received")) >= MonitoredHost.Alerts);
        var log = run.Host.Log;

        Assert.Contains("\"@t\"", log, StringComparison.Ordinal);
        Assert.Contains("opened incident", log, StringComparison.Ordinal);
        foreach (var (name, secret) in run.Secrets)
        {
            Assert.True(secret.Length >= 4, $"{name} is too short to search for meaningfully");
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"{name} appears in the host's log");
        }
    }

    [Fact]
    public async Task Carries_trace_ids_on_request_log_lines()
    {
        await run.ScrapeAsync();
        var requestLines = run.Host.Log.Split('\n').Where(l => l.Contains("\"RequestPath\":\"/ingest/webhook\"", StringComparison.Ordinal)).ToList();

        Assert.True(requestLines.Count > 0, "no request log line for the webhook in:\n" + run.Host.Tail(15));
        Assert.All(requestLines, l => Assert.Contains("\"@tr\"", l, StringComparison.Ordinal));
    }
}
