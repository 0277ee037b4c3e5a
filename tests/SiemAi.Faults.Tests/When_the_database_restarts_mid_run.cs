using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host (ingestion, saga, generator, safety) on a PostgreSQL cluster of this test alone, restarted (fast)
/// and crashed (immediate shutdown, then down for seconds) while alerts arrive over the webhook and the broker
/// and incidents move through generation and the gate. Its broker is a virtual host of the shared one, which stays up.
/// </summary>
public sealed class When_the_database_restarts_mid_run(ITestOutputHelper output) : IAsyncLifetime
{
    private const int AlertCount = 80;
    private const int BrokerAlertCount = 10;
    private readonly string ingestKey = "outage-" + Guid.NewGuid().ToString("N");
    private PrivatePostgresCluster cluster = null!;
    private ScratchDatabase database = null!;
    private RabbitVirtualHost virtualHost = null!;
    private HostProcess Host { get; set; } = null!;

    public async Task InitializeAsync()
    {
        cluster = await PrivatePostgresCluster.StartAsync();
        database = await ScratchDatabase.CreateAsync("pgo", cluster.Server);
        virtualHost = await RabbitVirtualHost.CreateAsync("pgo");
        var env = HostEnvironment.For(database, virtualHost, "ingestion,saga,generator,safety", ingestKey);
        env["Safety__SyntaxCheck"] = "false";
        env["RATE_LIMIT"] = "off";
        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task Every_acknowledged_alert_reaches_its_incident_with_no_transition_lost_or_doubled()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var producer = new OutageWebhookProducer(Host, ingestKey, run);
        await using var siem = new OutageBrokerProducer(virtualHost.Endpoint, run);
        await siem.StartAsync();
        var trail = new OutageTrail(database, run);
        var next = -1;
        var sending = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < AlertCount; n = Interlocked.Increment(ref next))
            {
                await producer.SendAsync(n);
                await Task.Delay(50);
            }
        })));

        // An operator's restart while alerts arrive and the first incidents are being generated and checked.
        await WaitAsync(() => producer.AcceptedCount >= 15, TimeSpan.FromSeconds(90), "15 alerts accepted", producer);
        var inFlightAtRestart = producer.AcceptedCount - await SettledAsync(trail);
        await cluster.RestartAsync(PostgresShutdown.Fast);

        // Then a crash: every backend gone at once, nothing answers for a while (SIEM producers on the broker
        // keep publishing, and RabbitMQ confirms), crash recovery on start.
        await WaitAsync(() => producer.AcceptedCount >= 45, TimeSpan.FromSeconds(120), "45 alerts accepted", producer);
        var inFlightAtCrash = producer.AcceptedCount - await SettledAsync(trail);
        await cluster.StopAsync(PostgresShutdown.Immediate);
        var downFrom = DateTimeOffset.UtcNow;
        for (var n = 0; n < BrokerAlertCount; n++)
        {
            await siem.PublishAsync(n);
        }

        // Longer than a quick restart: what a failover or a long crash recovery costs.
        await Task.Delay(TimeSpan.FromSeconds(12) - (DateTimeOffset.UtcNow - downFrom) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        await cluster.StartServerAsync();
        var upAt = DateTimeOffset.UtcNow;

        await sending;
        var asSent = producer.Answers;
        await producer.ResendUnacknowledgedAsync(TimeSpan.FromSeconds(120));
        const int total = AlertCount + BrokerAlertCount;
        await OutageTrail.WaitForAsync(async () => await trail.IncidentsAsync("AwaitingApproval") == total, TimeSpan.FromMinutes(3),
            async () => $"{await trail.IncidentsAsync()} incidents of {total}, not all at AwaitingApproval; elsewhere:\n{await trail.StragglersAsync("AwaitingApproval")}\n"
                + $"{await ErrorQueuesAsync()}\n{Logs(producer)}");

        Assert.All(asSent, a => Assert.True(a.Accepted || (a.Status == 503 && a.Body.Contains("urn:siemai:problem:", StringComparison.Ordinal)),
            $"unexpected answer {a}\n{Logs(producer)}"));
        Assert.Empty(producer.Unacknowledged);
        Assert.Equal(AlertCount, producer.AcceptedCount);
        Assert.Equal(total, await trail.IncidentsAsync());
        Assert.Equal(AlertCount, await trail.AlertRecordsAsync(producer.AlertIds));
        Assert.Equal(BrokerAlertCount, await trail.AlertRecordsAsync(siem.AlertIds));
        Assert.Equal(0, await trail.IncidentsWithSeveralAlertsAsync());
        var streams = await trail.StreamsAsync();
        Assert.Equal(total, streams.Count);
        Assert.All(streams, s => Assert.True(
            s.Value.Select(e => e.Type).SequenceEqual(OutageTrail.ExpectedStream) && s.Value.Select(e => e.Version).SequenceEqual([1L, 2, 3, 4]),
            $"{s.Key}: {string.Join(", ", s.Value)}\n{Logs(producer)}"));
        Assert.True(await virtualHost.QueueDepthAsync("siem-alert_error") is null or 0, await ErrorQueuesAsync());
        Assert.True(await virtualHost.QueueDepthAsync("incident-saga_error") is null or 0, await ErrorQueuesAsync());
        await OutageTrail.WaitForAsync(async () => await trail.OutboxRowsAsync() == 0, TimeSpan.FromSeconds(30), async () => $"outbox not empty\n{Logs(producer)}");
        var (exitCode, verify) = await SiemAiCli.RunAsync(database, "audit", "verify");
        Assert.True(exitCode == 0, $"audit verify exited {exitCode}:\n{verify}");
        Assert.False(Host.HasExited, $"the host died\n{Logs(producer)}");
        Assert.Equal(1, Host.Starts);
        Assert.Equal(200, (await producer.ReadyAsync()).Status);
        Assert.Equal(3, cluster.Starts);
        var firstAcceptedAfter = producer.Answers.Where(a => a.Accepted && a.SentAt > upAt).Select(a => (a.AnsweredAt - upAt).TotalSeconds).DefaultIfEmpty(double.NaN).Min();
        output.WriteLine($"database outage: {producer.Summary()} in all; {asSent.Count(a => !a.Accepted)} answers other than 202 as first sent; "
            + $"{inFlightAtRestart} acknowledged alerts not yet at rest at the fast restart, {inFlightAtCrash} at the crash, down {(upAt - downFrom).TotalSeconds:F0} s with {BrokerAlertCount} alerts confirmed on the broker meanwhile; first 202 {firstAcceptedAfter:F1} s after the crash restart; "
            + $"verify: {verify.Trim().Split('\n').LastOrDefault()}");
        output.WriteLine(OutageHostLog.Summary(Host.Log));
    }

    /// <summary>Messages a consumer gave up on: each is an alert or a transition the pipeline dropped.</summary>
    private async Task<string> ErrorQueuesAsync()
    {
        var queues = new[] { "siem-alert_error", "incident-saga_error", "generate-playbook_error", "verify-playbook_error" };
        var depths = await Task.WhenAll(queues.Select(async q => $"{q}: {(await virtualHost.QueueDepthAsync(q))?.ToString() ?? "none"}"));
        return "error queues: " + string.Join(", ", depths);
    }

    /// <summary>Incidents of the run already at rest (AwaitingApproval).</summary>
    private static async Task<int> SettledAsync(OutageTrail trail) => (int)await trail.IncidentsAsync("AwaitingApproval");

    private string Logs(OutageWebhookProducer producer) =>
        $"answers: {producer.Summary()}\n--- host log tail:\n{Host.Tail()}\n--- postgres log tail:\n{cluster.LogTail(15)}";

    private Task WaitAsync(Func<bool> condition, TimeSpan within, string what, OutageWebhookProducer producer) =>
        Poll.UntilAsync(condition, within, what, () => Task.FromResult(Logs(producer)));
}
