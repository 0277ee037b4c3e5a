namespace SiemAi.Audit.Tests;

[Collection(MonitoredHostCollection.Name)]
public sealed class When_operators_scrape_metrics(MonitoredHost run)
{
    [Fact]
    public async Task Counts_each_accepted_alert_once()
    {
        var after = await run.ScrapeUntilAsync(s => s.Sum("siemai_audit_events_total", ("event_type", "alert_received")) >= MonitoredHost.Alerts);

        Assert.Equal(MonitoredHost.Alerts, after.Sum("siemai_ingest_alerts_accepted_total") - run.Before.Sum("siemai_ingest_alerts_accepted_total"));
    }

    [Fact]
    public async Task Counts_the_rejected_webhook_request_by_status()
    {
        var after = await run.ScrapeAsync();

        Assert.Equal(1, after.Sum("siemai_webhook_rejected_total", ("status", "401")) - run.Before.Sum("siemai_webhook_rejected_total", ("status", "401")));
    }

    [Fact]
    public async Task Counts_the_audit_events_the_saga_recorded()
    {
        var after = await run.ScrapeUntilAsync(s => s.Sum("siemai_audit_events_total", ("event_type", "alert_received")) >= MonitoredHost.Alerts);

        Assert.Equal(MonitoredHost.Alerts, after.Sum("siemai_audit_events_total", ("event_type", "alert_received")) - run.Before.Sum("siemai_audit_events_total", ("event_type", "alert_received")));
    }

    [Fact]
    public async Task Shows_every_open_incident_in_the_state_gauge()
    {
        var after = await run.ScrapeUntilAsync(s => s.Sum("siemai_incidents") >= MonitoredHost.Alerts);

        Assert.Equal(MonitoredHost.Alerts, after.Sum("siemai_incidents"));
    }

    [Fact]
    public async Task Times_the_generation_and_safety_stages_of_each_incident()
    {
        // The SSH brute-force alert (rule 5712) has a template: it is generated and then judged by the safety gate.
        // A scrape can fall between an event's counter and its stage timing, so wait for a settled one.
        var after = await run.ScrapeUntilAsync(s => s.Sum("siemai_stage_duration_seconds_count", ("stage", "safety")) >= 1
            && s.Sum("siemai_stage_duration_seconds_count", ("stage", "generation")) == s.Sum("siemai_audit_events_total", ("event_type", "playbook_generated"))
            && s.Sum("siemai_stage_duration_seconds_count", ("stage", "safety")) == s.Sum("siemai_safety_verdicts_total"));

        var generated = after.Sum("siemai_audit_events_total", ("event_type", "playbook_generated"));
        var judged = after.Sum("siemai_safety_verdicts_total");
        Assert.True(generated >= 1, "no playbook was generated");
        Assert.Equal(generated, after.Sum("siemai_stage_duration_seconds_count", ("stage", "generation")));
        Assert.Equal(judged, after.Sum("siemai_stage_duration_seconds_count", ("stage", "safety")));
        Assert.True(after.Sum("siemai_stage_duration_seconds_sum", ("stage", "generation")) > 0);
    }

    [Fact]
    public async Task Exports_http_messaging_and_runtime_instrumentation()
    {
        var after = await run.ScrapeUntilAsync(s => s.Has("messaging_masstransit"));

        Assert.True(after.Has("http_server_request_duration_seconds"), "no ASP.NET Core request metrics");
        Assert.True(after.Has("messaging_masstransit"), "no MassTransit metrics");
        Assert.True(after.Has("db_client_"), "no Npgsql metrics");
        Assert.True(after.Has("dotnet_") || after.Has("process_runtime_dotnet"), "no runtime metrics");
    }
}
