using System.Globalization;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host (ingestion, saga, generator, safety) on a private 3-node RabbitMQ cluster (<c>RABBITMQ_NODES</c>, so
/// quorum queues by default) while a SIEM posts alerts: the node the host is connected to is killed with SIGKILL
/// mid-run and restarted later. The host moves to a live node, no acknowledged alert is lost or doubled, no
/// incident is stuck, and every queue is back to three online replicas.
/// </summary>
public sealed class When_a_rabbitmq_cluster_node_dies(ITestOutputHelper output) : IAsyncLifetime
{
    private const int AlertCount = 60;
    private readonly string ingestKey = "cluster-" + Guid.NewGuid().ToString("N");
    private PrivateRabbitCluster cluster = null!;
    private ScratchDatabase database = null!;
    private HostProcess Host { get; set; } = null!;

    public async Task InitializeAsync()
    {
        cluster = await PrivateRabbitCluster.StartAsync(3, TimeSpan.FromSeconds(120));
        database = await ScratchDatabase.CreateAsync("rqn");
        var env = HostEnvironment.For(database, cluster.Endpoint, "ingestion,saga,generator,safety", ingestKey);
        env["RABBITMQ_NODES"] = cluster.NodeList;
        env["Safety__SyntaxCheck"] = "false";
        env["RATE_LIMIT"] = "off";
        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await database.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task The_host_moves_to_a_live_node_and_every_acknowledged_alert_becomes_its_incident_once()
    {
        var queuesBefore = await cluster.QueuesAsync();
        var siemAiQueues = queuesBefore.Where(q => !q.Name.StartsWith("amq.", StringComparison.Ordinal) && !q.Name.Contains("bus-", StringComparison.Ordinal)).ToList();
        Assert.Contains(siemAiQueues, q => q.Name == "siem-alert");
        Assert.All(siemAiQueues, q => Assert.True(q.Type == "quorum" && q.Members.Count == 3, $"not a 3-member quorum queue: {q}"));

        // The host connects to the first node of RABBITMQ_NODES first: that is the connection that breaks.
        var victim = cluster.Nodes[0];
        var hostOnVictim = await victim.RequireCtlAsync("rabbitmqctl", "list_connections", "peer_port", "--no-table-headers");
        Assert.False(string.IsNullOrWhiteSpace(hostOnVictim), $"the host has no connection on {victim.NodeName}");
        var run = Guid.NewGuid().ToString("N")[..8];
        using var producer = new OutageWebhookProducer(Host, ingestKey, run);
        var trail = new OutageTrail(database, run);
        var next = -1;
        // About four alerts a second, so the kill and the restart both fall in the middle of the run.
        var sending = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < AlertCount; n = Interlocked.Increment(ref next))
            {
                await producer.SendAsync(n);
                await Task.Delay(500);
            }
        })));

        await WaitAsync(() => producer.AcceptedCount >= 15, TimeSpan.FromSeconds(90), "15 alerts accepted before the kill", producer);
        Assert.True(producer.Answers.Count < AlertCount, "every alert was sent before the kill: the run is too short to test anything");
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;

        await WaitAsync(() => producer.AcceptedCount >= 45, TimeSpan.FromSeconds(120), "45 alerts accepted with a node down", producer);
        await victim.StartAsync(TimeSpan.FromSeconds(120));
        var restartedAt = DateTimeOffset.UtcNow;

        await sending;
        var asSent = producer.Answers;
        await producer.ResendUnacknowledgedAsync(TimeSpan.FromSeconds(120));
        var sent = producer.AlertIds.Count;
        await OutageTrail.WaitForAsync(async () => await trail.IncidentsAsync("AwaitingApproval") == sent, TimeSpan.FromMinutes(3),
            async () => $"{await trail.IncidentsAsync()} incidents of {sent}, not all at AwaitingApproval; elsewhere:\n{await trail.StragglersAsync("AwaitingApproval")}\n"
                + $"{await cluster.DescribeAsync()}\n{Logs(producer)}");

        // Every queue back to three replicas, all online, once the node is back.
        IReadOnlyList<ClusterQueue> queuesAfter = [];
        await OutageTrail.WaitForAsync(async () =>
        {
            queuesAfter = await cluster.QueuesAsync();
            return queuesAfter.Where(q => q.Type == "quorum").All(q => q.Members.Count == 3 && q.Online.Count == 3);
        }, TimeSpan.FromSeconds(90), async () => $"replicas not back:\n{await cluster.DescribeAsync()}");
        var replicasBackAt = DateTimeOffset.UtcNow;

        Assert.All(asSent, a => Assert.True(a.Accepted || (a.Status == 503 && a.Body.Contains("urn:siemai:problem:", StringComparison.Ordinal)),
            $"unexpected answer {a}\n{Logs(producer)}"));
        Assert.Empty(producer.Unacknowledged);
        Assert.Equal(AlertCount, sent);
        Assert.Equal(sent, producer.AcceptedCount);
        Assert.Equal(sent, await trail.IncidentsAsync());
        Assert.Equal(sent, await trail.AlertRecordsAsync(producer.AlertIds));
        Assert.Equal(0, await trail.IncidentsWithSeveralAlertsAsync());
        var streams = await trail.StreamsAsync();
        Assert.Equal(sent, streams.Count);
        Assert.All(streams, s => Assert.True(
            s.Value.Select(e => e.Type).SequenceEqual(OutageTrail.ExpectedStream) && s.Value.Select(e => e.Version).SequenceEqual([1L, 2, 3, 4]),
            $"{s.Key}: {string.Join(", ", s.Value)}\n{Logs(producer)}"));
        Assert.All(queuesAfter.Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal)), q => Assert.True(q.Messages == 0, $"{q}\n{Logs(producer)}"));
        Assert.All(queuesAfter.Where(q => siemAiQueues.Any(s => s.Name == q.Name)), q => Assert.Equal("quorum", q.Type));
        await OutageTrail.WaitForAsync(async () => await trail.OutboxRowsAsync() == 0, TimeSpan.FromSeconds(30), async () => $"outbox not empty\n{Logs(producer)}");
        Assert.False(Host.HasExited, $"the host died\n{Logs(producer)}");
        Assert.Equal(1, Host.Starts);
        Assert.Equal(200, (await producer.ReadyAsync()).Status);
        Assert.Equal(2, victim.Starts);

        var afterKill = asSent.Where(a => a.SentAt >= killedAt).ToList();
        var firstAccepted = afterKill.Where(a => a.Accepted).Select(a => (a.AnsweredAt - killedAt).TotalSeconds).DefaultIfEmpty(double.NaN).Min();
        var refused = afterKill.Where(a => !a.Accepted).ToList();
        var refusedFor = refused.Count == 0 ? 0 : (refused.Max(a => a.AnsweredAt) - killedAt).TotalSeconds;
        var latencies = await IncidentLatencies.ReadAsync(database, run);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rabbitmq node loss: {producer.Summary()} in all; host connections on the killed node before: {hostOnVictim.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length}; "
            + $"{refused.Count} answers other than 202 after the kill, the last {refusedFor:F1} s after it; first 202 {firstAccepted:F1} s after the kill; "
            + $"node down {(restartedAt - killedAt).TotalSeconds:F0} s; 3 online replicas {(replicasBackAt - restartedAt).TotalSeconds:F1} s after its restart; "
            + $"{IncidentLatencies.Summary(latencies)}; around the kill (alerts recorded from 5 s before to 20 s after): "
            + $"{IncidentLatencies.Summary(latencies.Where(l => l.ReceivedAt >= killedAt.AddSeconds(-5) && l.ReceivedAt <= killedAt.AddSeconds(20)).ToList())}"));
        output.WriteLine(OutageHostLog.Summary(Host.Log));
    }

    private string Logs(OutageWebhookProducer producer) =>
        $"answers: {producer.Summary()}\n--- host log tail:\n{Host.Tail()}\n{cluster.Tails(10)}";

    private Task WaitAsync(Func<bool> condition, TimeSpan within, string what, OutageWebhookProducer producer) =>
        Poll.UntilAsync(condition, within, what, async () => $"{await cluster.DescribeAsync()}\n{Logs(producer)}");
}
