using System.Diagnostics;
using System.Globalization;
using Npgsql;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host (ingestion, saga, generator, safety) on a private PostgreSQL primary with a synchronous streaming
/// standby (<c>DB_HOST=primary:port,standby:port</c>), while alerts arrive over the webhook and the broker: the
/// primary is killed (SIGKILL to every process) and the standby promoted. The host finds the new primary, every
/// acknowledged alert is in its stream exactly once, and <c>siemai audit verify</c> passes on the promoted server.
/// </summary>
public sealed class When_the_postgresql_primary_fails_over(ITestOutputHelper output) : IAsyncLifetime
{
    private const int AlertCount = 60;
    private const int BrokerAlertCount = 10;

    private readonly string ingestKey = "pgfail-" + Guid.NewGuid().ToString("N");
    private PostgresFailoverRig rig = null!;

    public async Task InitializeAsync() => rig = await PostgresFailoverRig.StartAsync("ingestion,saga,generator,safety", ingestKey);

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task The_host_finds_the_promoted_standby_and_no_acknowledged_alert_is_lost()
    {
        Assert.Equal("streaming/sync", await rig.Primary.SuperuserScalarAsync("SELECT state || '/' || sync_state FROM pg_stat_replication"));
        var commitCost = await SynchronousCommitCostAsync();

        var run = Guid.NewGuid().ToString("N")[..8];
        using var producer = new OutageWebhookProducer(rig.Host, ingestKey, run);
        await using var siem = new OutageBrokerProducer(rig.VirtualHost.Endpoint, run);
        await siem.StartAsync();
        var trail = new OutageTrail(rig.Database, run);
        var next = -1;
        // About seven alerts a second, so alerts keep arriving from before the kill until after the promotion.
        var sending = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < AlertCount; n = Interlocked.Increment(ref next))
            {
                await producer.SendAsync(n);
                await Task.Delay(300);
            }
        })));

        await WaitAsync(() => producer.AcceptedCount >= 20, TimeSpan.FromSeconds(90), "20 alerts accepted before the primary dies", producer);
        var acceptedBeforeKill = producer.Answers.Where(a => a.Accepted).Select(a => producer.IdOf(a.Alert)).Distinct().ToList();
        var inFlightAtKill = acceptedBeforeKill.Count - await trail.IncidentsAsync("AwaitingApproval");
        await rig.KillPrimaryAsync();
        var killedAt = rig.KilledAt;
        for (var n = 0; n < BrokerAlertCount; n++)
        {
            await siem.PublishAsync(n);
        }

        await rig.PromoteStandbyAsync();
        var promotedAt = rig.PromotedAt;

        await sending;
        var asSent = producer.Answers;
        await producer.ResendUnacknowledgedAsync(TimeSpan.FromSeconds(120));
        const int total = AlertCount + BrokerAlertCount;
        await OutageTrail.WaitForAsync(async () => await trail.IncidentsAsync("AwaitingApproval") == total, TimeSpan.FromMinutes(3),
            async () => $"{await trail.IncidentsAsync()} incidents of {total}, not all at AwaitingApproval; elsewhere:\n{await trail.StragglersAsync("AwaitingApproval")}\n"
                + $"{await rig.ErrorQueuesAsync()}\nwhole host log: {await rig.KeepHostLogAsync(run)}\n{Logs(producer)}");

        Assert.Equal("false", await rig.Standby.SuperuserScalarAsync("SELECT pg_is_in_recovery()::text"));
        Assert.All(asSent, a => Assert.True(a.Accepted || (a.Status == 503 && a.Body.Contains("urn:siemai:problem:", StringComparison.Ordinal)),
            $"unexpected answer {a}\n{Logs(producer)}"));
        Assert.Empty(producer.Unacknowledged);
        Assert.Equal(AlertCount, producer.AcceptedCount);
        Assert.Equal(total, await trail.IncidentsAsync());
        // Acknowledged before the kill: committed on the primary, so (synchronous standby) on the promoted server too.
        Assert.Equal(acceptedBeforeKill.Count, await trail.AlertRecordsAsync(acceptedBeforeKill));
        Assert.Equal(AlertCount, await trail.AlertRecordsAsync(producer.AlertIds));
        Assert.Equal(BrokerAlertCount, await trail.AlertRecordsAsync(siem.AlertIds));
        Assert.Equal(0, await trail.IncidentsWithSeveralAlertsAsync());
        var streams = await trail.StreamsAsync();
        Assert.Equal(total, streams.Count);
        Assert.All(streams, s => Assert.True(
            s.Value.Select(e => e.Type).SequenceEqual(OutageTrail.ExpectedStream) && s.Value.Select(e => e.Version).SequenceEqual([1L, 2, 3, 4]),
            $"{s.Key}: {string.Join(", ", s.Value)}\n{Logs(producer)}"));
        Assert.True(await rig.VirtualHost.QueueDepthAsync("siem-alert_error") is null or 0, await rig.ErrorQueuesAsync());
        Assert.True(await rig.VirtualHost.QueueDepthAsync("incident-saga_error") is null or 0, await rig.ErrorQueuesAsync());
        await OutageTrail.WaitForAsync(async () => await trail.OutboxRowsAsync() == 0, TimeSpan.FromSeconds(30), async () => $"outbox not empty\n{Logs(producer)}");
        var (exitCode, verify) = await SiemAiCli.RunAsync(rig.Database, "audit", "verify");
        Assert.True(exitCode == 0, $"audit verify exited {exitCode}:\n{verify}");
        Assert.False(rig.Host.HasExited, $"the host died\n{Logs(producer)}");
        Assert.Equal(1, rig.Host.Starts);
        Assert.Equal(200, (await producer.ReadyAsync()).Status);

        var refused = producer.Answers.Where(a => a.SentAt >= killedAt && !a.Accepted).ToList();
        var firstAcceptedAfterPromote = producer.Answers.Where(a => a.Accepted && a.AnsweredAt >= promotedAt).Select(a => (a.AnsweredAt - promotedAt).TotalSeconds).DefaultIfEmpty(double.NaN).Min();
        var lastRefused = refused.Count == 0 ? double.NaN : (refused.Max(a => a.AnsweredAt) - killedAt).TotalSeconds;
        var latencies = await IncidentLatencies.ReadAsync(rig.Database, run);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgresql failover: {producer.Summary()} in all; {inFlightAtKill} acknowledged alerts not yet at AwaitingApproval at the kill; "
            + $"promoted {PostgresFailoverRig.DetectionDelay.TotalSeconds:F0} s after the kill (pg_ctl promote took {rig.Promoting.TotalSeconds:F1} s); "
            + $"{refused.Count} answers other than 202 after the kill (re-sends included), the last {lastRefused:F1} s after it; first 202 {firstAcceptedAfterPromote:F1} s after the promotion; "
            + $"{BrokerAlertCount} alerts confirmed on the broker while no primary; {IncidentLatencies.Summary(latencies)}; "
            + $"verify: {verify.Trim().Split('\n').LastOrDefault()}"));
        output.WriteLine(commitCost);
        output.WriteLine(OutageHostLog.Summary(rig.Host.Log));
    }

    /// <summary>
    /// What waiting for the standby costs one commit: 200 single-row commits on the primary with
    /// <c>synchronous_commit = on</c> (waits for the standby's flush) and with <c>local</c> (does not). A figure, not an assertion.
    /// </summary>
    private async Task<string> SynchronousCommitCostAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(rig.Database.OwnerConnectionString) { Pooling = false, TargetSessionAttributes = "primary" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE commit_cost (n int)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var figures = new List<string>();
        foreach (var mode in new[] { "local", "on", "local", "on" })
        {
            await using (var set = new NpgsqlCommand($"SET synchronous_commit = {mode}", connection))
            {
                await set.ExecuteNonQueryAsync();
            }

            await using var insert = new NpgsqlCommand("INSERT INTO commit_cost VALUES (1)", connection);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 200; i++)
            {
                await insert.ExecuteNonQueryAsync();
            }

            figures.Add(string.Create(CultureInfo.InvariantCulture, $"{mode} {watch.Elapsed.TotalMilliseconds / 200:F2} ms"));
        }

        await using (var drop = new NpgsqlCommand("DROP TABLE commit_cost", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        return "single-row commit on the primary (200 each, two rounds), synchronous_commit: " + string.Join(", ", figures);
    }

    private string Logs(OutageWebhookProducer producer) =>
        $"answers: {producer.Summary()}\n{rig.LogTails()}";

    private Task WaitAsync(Func<bool> condition, TimeSpan within, string what, OutageWebhookProducer producer) =>
        Poll.UntilAsync(condition, within, what, () => Task.FromResult(Logs(producer)));
}
