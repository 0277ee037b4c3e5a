using System.Text.Json;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host (ingestion, saga, generator, safety) on a RabbitMQ node of this test alone, stopped and started
/// again while a SIEM keeps posting alerts. The shared broker is never touched.
/// </summary>
public sealed class When_the_broker_goes_down_mid_run(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string ingestKey = "outage-" + Guid.NewGuid().ToString("N");
    private PrivateRabbitNode node = null!;
    private ScratchDatabase database = null!;
    private HostProcess Host { get; set; } = null!;

    public async Task InitializeAsync()
    {
        node = await PrivateRabbitNode.StartNewAsync();
        database = await ScratchDatabase.CreateAsync("brk");
        var env = HostEnvironment.For(database, node.Endpoint, "ingestion,saga,generator,safety", ingestKey);
        // The gate's rules run; ansible's syntax check (a process per playbook) is left to the safety tests.
        env["Safety__SyntaxCheck"] = "false";
        env["RATE_LIMIT"] = "off";
        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await database.DisposeAsync();
        await node.DisposeAsync();
    }

    [Fact]
    public async Task Ingestion_answers_503_while_it_is_down_and_every_acknowledged_alert_becomes_its_incident_once_it_is_back()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var producer = new OutageWebhookProducer(Host, ingestKey, run);
        var trail = new OutageTrail(database, run);
        using var stopSending = new CancellationTokenSource();
        var next = 0;
        var sending = Task.Run(async () =>
        {
            while (!stopSending.IsCancellationRequested)
            {
                await producer.SendAsync(Interlocked.Increment(ref next) - 1);
                await Task.Delay(100);
            }
        });

        await WaitAsync(() => producer.AcceptedCount >= 10, TimeSpan.FromSeconds(90), "10 alerts accepted before the outage", producer);

        await node.StopAsync();
        var downFrom = DateTimeOffset.UtcNow;
        var readyWhileDown = new List<(int Status, string Body)>();
        await WaitAsync(async () =>
        {
            readyWhileDown.Add(await producer.ReadyAsync());
            return producer.Answers.Count(a => a.Within(downFrom, DateTimeOffset.UtcNow)) >= 4;
        }, TimeSpan.FromSeconds(120), "4 answers while the broker was down", producer);
        var downUntil = DateTimeOffset.UtcNow;

        await node.StartAsync();
        var upAt = DateTimeOffset.UtcNow;
        await WaitAsync(() => producer.Answers.Count(a => a.Accepted && a.SentAt > upAt) >= 10, TimeSpan.FromSeconds(120),
            "10 alerts accepted after the broker came back", producer);
        var firstAcceptedAfter = producer.Answers.Where(a => a.Accepted && a.SentAt > upAt).Min(a => a.AnsweredAt);
        await stopSending.CancelAsync();
        await sending;
        await WaitAsync(async () => (await producer.ReadyAsync()).Status == 200, TimeSpan.FromSeconds(60), "ready check healthy again", producer);
        var readyAt = DateTimeOffset.UtcNow;
        var asSent = producer.Answers;

        await producer.ResendUnacknowledgedAsync(TimeSpan.FromSeconds(120));
        var sent = producer.AlertIds.Count;
        await OutageTrail.WaitForAsync(async () => await trail.IncidentsAsync("AwaitingApproval") == sent, TimeSpan.FromMinutes(3),
            async () => $"{await trail.IncidentsAsync()} incidents of {sent}, not all at AwaitingApproval; {await trail.OutboxRowsAsync()} outbox rows; elsewhere:\n"
                + $"{await trail.StragglersAsync("AwaitingApproval")}\n--- on the broker node:\n{await node.DescribeAsync()}\n"
                + $"whole host log: {await KeepHostLogAsync(run)}\n{Logs(producer)}");

        var whileDown = asSent.Where(a => a.Within(downFrom, downUntil)).ToList();
        Assert.True(whileDown.Count >= 4, $"only {whileDown.Count} requests were answered while the broker was down\n{Logs(producer)}");
        Assert.All(whileDown, a =>
        {
            Assert.True(a.Status == 503, $"while the broker was down: {a}\n{Logs(producer)}");
            Assert.Equal("application/problem+json", a.ContentType);
            using var problem = JsonDocument.Parse(a.Body);
            Assert.Equal("urn:siemai:problem:broker-unavailable", problem.RootElement.GetProperty("type").GetString());
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        });
        // A load balancer must stop sending alerts here: ready says no, and says why.
        var lastReadyWhileDown = readyWhileDown[^1];
        Assert.True(lastReadyWhileDown.Status == 503, $"ready answered {lastReadyWhileDown.Status} {lastReadyWhileDown.Body} with the broker down\n{Logs(producer)}");
        using (var ready = JsonDocument.Parse(lastReadyWhileDown.Body))
        {
            Assert.NotEqual("Healthy", ready.RootElement.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString());
            Assert.Equal("Healthy", ready.RootElement.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        }

        // Around the stop and the start a request may go either way, but only ever as a 202 or a 503 problem.
        Assert.All(asSent, a => Assert.True(a.Status is 202 or 503, $"unexpected answer {a}\n{Logs(producer)}"));
        Assert.Empty(producer.Unacknowledged);
        Assert.Equal(sent, producer.AcceptedCount);
        Assert.Equal(sent, await trail.IncidentsAsync());
        Assert.Equal(sent, await trail.AlertRecordsAsync(producer.AlertIds));
        Assert.Equal(0, await trail.IncidentsWithSeveralAlertsAsync());
        var streams = await trail.StreamsAsync();
        Assert.Equal(sent, streams.Count);
        Assert.All(streams, s => Assert.True(
            s.Value.Select(e => e.Type).SequenceEqual(OutageTrail.ExpectedStream) && s.Value.Select(e => e.Version).SequenceEqual([1L, 2, 3, 4]),
            $"{s.Key}: {string.Join(", ", s.Value)}\n{Logs(producer)}"));
        await OutageTrail.WaitForAsync(async () => await trail.OutboxRowsAsync() == 0, TimeSpan.FromSeconds(30), async () => $"outbox not empty\n{Logs(producer)}");
        Assert.False(Host.HasExited, $"the host died\n{Logs(producer)}");
        Assert.Equal(1, Host.Starts);
        Assert.Equal(2, node.Starts);
        output.WriteLine($"broker outage: {producer.Summary()} as first sent; {whileDown.Count} answered while down ; "
            + $"ready while down: {string.Join(", ", readyWhileDown.GroupBy(r => $"{r.Status} {r.Body}").Select(g => $"{g.Count()}×{g.Key}"))}; "
            + $"first 202 {(firstAcceptedAfter - upAt).TotalSeconds:F1} s and ready {(readyAt - upAt).TotalSeconds:F1} s after the node was up; "
            + $"{sent} alerts, {asSent.Count(a => !a.Accepted)} re-sent");
        output.WriteLine(OutageHostLog.Summary(Host.Log));
    }

    /// <summary>The host's whole log, kept after the run: the tail rarely reaches back to the outage.</summary>
    private async Task<string> KeepHostLogAsync(string run)
    {
        var path = Path.Combine(Path.GetTempPath(), $"siemai-broker-outage-{run}.log");
        await File.WriteAllTextAsync(path, Host.Log + "\n--- broker log:\n" + node.Log + "\n--- on the broker node:\n" + await node.DescribeAsync());
        return path;
    }

    private string Logs(OutageWebhookProducer producer) =>
        $"answers: {producer.Summary()}\n--- host log tail:\n{Host.Tail()}\n--- broker log tail:\n{node.Tail(15)}";

    private Task WaitAsync(Func<bool> condition, TimeSpan within, string what, OutageWebhookProducer producer) =>
        Poll.UntilAsync(condition, within, what, () => Describe(producer));

    private Task WaitAsync(Func<Task<bool>> condition, TimeSpan within, string what, OutageWebhookProducer producer) =>
        Poll.UntilAsync(condition, within, what, () => Describe(producer));

    private async Task<string> Describe(OutageWebhookProducer producer) =>
        $"--- on the broker node:\n{await node.DescribeAsync()}\n{Logs(producer)}";
}
