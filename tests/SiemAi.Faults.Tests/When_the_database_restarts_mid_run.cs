using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host (ingestion, saga, generator, safety) on a PostgreSQL cluster of this test alone, restarted (fast)
/// and crashed (immediate shutdown, then down a few seconds) while alerts are being ingested and incidents
/// move through generation and the gate. Its broker is a virtual host of the shared one, which stays up.
/// </summary>
public sealed class When_the_database_restarts_mid_run(ITestOutputHelper output) : IAsyncLifetime
{
    private const int AlertCount = 80;
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

        // Then a crash: every backend gone at once, nothing answers for a few seconds, crash recovery on start.
        await WaitAsync(() => producer.AcceptedCount >= 45, TimeSpan.FromSeconds(120), "45 alerts accepted", producer);
        var inFlightAtCrash = producer.AcceptedCount - await SettledAsync(trail);
        await cluster.RestartAsync(PostgresShutdown.Immediate, downFor: TimeSpan.FromSeconds(4));
        var upAt = DateTimeOffset.UtcNow;

        await sending;
        var asSent = producer.Answers;
        await producer.ResendUnacknowledgedAsync(TimeSpan.FromSeconds(120));
        await OutageTrail.WaitForAsync(async () => await trail.IncidentsAsync("AwaitingApproval") == AlertCount, TimeSpan.FromMinutes(3),
            async () => $"not all {AlertCount} incidents reached AwaitingApproval; elsewhere:\n{await trail.StragglersAsync("AwaitingApproval")}\n{Logs(producer)}");

        Assert.All(asSent, a => Assert.True(a.Accepted || (a.Status == 503 && a.Body.Contains("urn:siemai:problem:", StringComparison.Ordinal)),
            $"unexpected answer {a}\n{Logs(producer)}"));
        Assert.Empty(producer.Unacknowledged);
        Assert.Equal(AlertCount, producer.AcceptedCount);
        Assert.Equal(AlertCount, await trail.IncidentsAsync());
        Assert.Equal(AlertCount, await trail.AlertRecordsAsync(producer.AlertIds));
        Assert.Equal(0, await trail.IncidentsWithSeveralAlertsAsync());
        var streams = await trail.StreamsAsync();
        Assert.Equal(AlertCount, streams.Count);
        Assert.All(streams, s => Assert.True(
            s.Value.Select(e => e.Type).SequenceEqual(OutageTrail.ExpectedStream) && s.Value.Select(e => e.Version).SequenceEqual([1L, 2, 3, 4]),
            $"{s.Key}: {string.Join(", ", s.Value)}\n{Logs(producer)}"));
        await OutageTrail.WaitForAsync(async () => await trail.OutboxRowsAsync() == 0, TimeSpan.FromSeconds(30), async () => $"outbox not empty\n{Logs(producer)}");
        var (exitCode, verify) = await SiemAiCli.RunAsync(database, "audit", "verify");
        Assert.True(exitCode == 0, $"audit verify exited {exitCode}:\n{verify}");
        Assert.False(Host.HasExited, $"the host died\n{Logs(producer)}");
        Assert.Equal(1, Host.Starts);
        Assert.Equal(200, (await producer.ReadyAsync()).Status);
        Assert.Equal(2, cluster.Restarts);
        var firstAcceptedAfter = producer.Answers.Where(a => a.Accepted && a.SentAt > upAt).Select(a => (a.AnsweredAt - upAt).TotalSeconds).DefaultIfEmpty(double.NaN).Min();
        output.WriteLine($"database outage: {producer.Summary()} in all; {asSent.Count(a => !a.Accepted)} answers other than 202 as first sent; "
            + $"{inFlightAtRestart} acknowledged alerts not yet at rest at the fast restart, {inFlightAtCrash} at the crash; first 202 {firstAcceptedAfter:F1} s after the crash restart; "
            + $"verify: {verify.Trim().Split('\n').LastOrDefault()}");
        output.WriteLine(OutageHostLog.Summary(Host.Log));
    }

    /// <summary>Incidents of the run already at rest (AwaitingApproval).</summary>
    private static async Task<int> SettledAsync(OutageTrail trail) => (int)await trail.IncidentsAsync("AwaitingApproval");

    private string Logs(OutageWebhookProducer producer) =>
        $"answers: {producer.Summary()}\n--- host log tail:\n{Host.Tail()}\n--- postgres log tail:\n{cluster.LogTail(15)}";

    private async Task WaitAsync(Func<bool> condition, TimeSpan within, string what, OutageWebhookProducer producer)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {within.TotalSeconds} s for {what}\n{Logs(producer)}");
            }

            await Task.Delay(250);
        }
    }
}
