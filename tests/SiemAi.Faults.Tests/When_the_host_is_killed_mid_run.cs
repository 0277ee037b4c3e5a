using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// 500 alerts through the webhook into the real generator and safety gate, while the host is killed with
/// SIGKILL five times at random moments (and kills itself right after some saga commits, before publishing):
/// every alert acknowledged with 202 is in its incident's stream, nothing is recorded twice, every incident
/// awaits approval and every hash chain verifies.
/// </summary>
public sealed class When_the_host_is_killed_mid_run(ITestOutputHelper output)
{
    private const int Incidents = 500;
    private const int Kills = 5;
    private const int Senders = 8;

    /// <summary>The stream of an incident that reached the approvers, each event once.</summary>
    private static readonly string[] ExpectedStream = ["alert_received", "playbook_generated", "playbook_verified", "approval_requested"];

    [Fact]
    public async Task Five_kill_nines_lose_no_acknowledged_alert_and_duplicate_no_event()
    {
        await using var system = await FaultSystem.CreateAsync("kill");
        // The syntax-check second opinion (a Python process per playbook) is off: 500 of them would take
        // the whole suite budget on two cores; the gate's own parse and rules still run on every playbook.
        var host = system.NewHost("ingestion,saga,generator,safety", new Dictionary<string, string>
        {
            ["Safety__SyntaxCheck"] = "false",
            ["SIEMAI_FAULT_CRASH_AFTER_COMMIT"] = "0.004",
        });
        await host.StartTolerantAsync(readyWithin: TimeSpan.FromSeconds(120));

        var run = Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new ConcurrentDictionary<string, JsonObject>();
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        var stopSending = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        using var http = FaultSystem.Ingest(host, system.IngestKey);

        async Task SendAsync()
        {
            for (var n = Interlocked.Increment(ref next); n < Incidents; n = Interlocked.Increment(ref next))
            {
                // The producer resends the same alert (same alertId) until it gets a 202, as a real one would.
                var alert = FaultSystem.Alert(run, n);
                while (DateTime.UtcNow < stopSending)
                {
                    try
                    {
                        var (accepted, failure) = await FaultSystem.PostAlertAsync(http, alert);
                        if (accepted is not null)
                        {
                            acknowledged[alert["alertId"]!.GetValue<string>()] = accepted;
                            break;
                        }

                        failures.Enqueue(failure);
                    }
                    catch (HttpRequestException ex)
                    {
                        failures.Enqueue(ex.Message);
                    }
                    catch (TaskCanceledException ex)
                    {
                        failures.Enqueue(ex.Message);
                    }

                    await Task.Delay(300);
                }
            }
        }

        var sending = Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)));

        // Each kill lands once a random share of the alerts is acknowledged, so all five hit a busy host.
        var random = new Random(20261201);
        var thresholds = Enumerable.Range(0, Kills).Select(_ => random.Next(25, Incidents - 50)).Order().ToArray();
        var kills = 0;
        var awaiting = 0L;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            awaiting = await system.ScalarAsync("SELECT count(*) FROM incidents WHERE status = 'AwaitingApproval'");
            if (kills == Kills && awaiting >= Incidents && sending.IsCompleted)
            {
                break;
            }

            if (kills < Kills && acknowledged.Count >= thresholds[kills])
            {
                await Task.Delay(random.Next(0, 700));
                await host.KillAsync();
                kills++;
            }

            if (host.HasExited)
            {
                await host.StartTolerantAsync(readyWithin: TimeSpan.FromSeconds(120));
            }

            await Task.Delay(100);
        }

        await sending;
        var streams = await system.StreamsAsync();
        var context = $"{kills} kills, {host.Starts} starts, {acknowledged.Count} acknowledged, {awaiting} awaiting approval, {failures.Count} refused or failed sends; host log:\n{host.Tail(30)}";
        Assert.True(kills == Kills, $"only {kills} kills happened: {context}");
        Assert.True(host.Starts > kills, $"the host started {host.Starts} times for {kills} kills");
        Assert.True(acknowledged.Count == Incidents, $"{acknowledged.Count} of {Incidents} alerts were acknowledged within the time: {context}");

        // Every acknowledged alert is in the stream of the incident its 202 named.
        var recorded = (await system.RowsAsync("SELECT stream_id, data->>'alert_id' FROM events WHERE type = 'alert_received'"))
            .Select(r => (Stream: r[0], AlertId: r[1])).ToHashSet();
        var lost = acknowledged.Where(a => !recorded.Contains(($"incident-{a.Value["incidentId"]!.GetValue<string>()}", a.Key))).Select(a => a.Key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged alert(s) are in no incident stream, e.g. {string.Join(", ", lost.Take(5))}: {context}");
        Assert.Equal(Incidents, acknowledged.Values.Select(a => a["fingerprint"]!.GetValue<string>()).Distinct().Count());

        var defects = await system.StreamDefectsAsync();
        Assert.True(defects.Count == 0, $"streams with duplicated or missing versions: {string.Join("; ", defects.Take(10))}");
        Assert.True(streams.Count == Incidents, $"{streams.Count} incident streams for {Incidents} alerts: {context}");
        var wrong = streams.Where(s => !s.Value.SequenceEqual(ExpectedStream)).Take(5).Select(s => $"{s.Key}: {string.Join(",", s.Value)}").ToList();
        Assert.True(wrong.Count == 0, $"streams not exactly {string.Join(",", ExpectedStream)}: {string.Join("; ", wrong)}");
        var states = await system.RowsAsync("SELECT status, count(*) FROM incidents GROUP BY status");
        Assert.True(states is [["AwaitingApproval", var count]] && count == Incidents.ToString(),
            $"incident states: {string.Join(", ", states.Select(s => $"{s[0]}={s[1]}"))}");

        var verify = await SiemAiCli.RunAsync(system.Database, "audit", "verify");
        Assert.True(verify.ExitCode == 0, $"audit verify exited {verify.ExitCode}: {verify.Output}");
        output.WriteLine($"{Incidents} incidents, {kills} kills, {host.Starts - 1 - kills} self-crashes after commit, {acknowledged.Count} alerts acknowledged with 202, " +
                         $"{failures.Count} sends refused or failed (resent), 0 lost, 0 duplicate events, {streams.Count} streams verified");
    }
}
