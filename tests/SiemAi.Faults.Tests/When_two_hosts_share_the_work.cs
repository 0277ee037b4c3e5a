using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// Two host processes with every role on one database and one virtual host, each alert sent to both webhooks
/// and each decision to both APIs: the results are those of one host. Every approved check run happens once,
/// and an approval deadline fires once.
/// </summary>
public sealed class When_two_hosts_share_the_work(ITestOutputHelper output)
{
    private const int PlainAlerts = 24;
    private const int ApprovedAlerts = 4;
    private const int ExpiringAlerts = 2;

    private static readonly string[] Awaiting = ["alert_received", "playbook_generated", "playbook_verified", "approval_requested"];
    private static readonly string[] Expired = [.. Awaiting, "approval_expired", "incident_closed"];
    private static readonly string[] Checked = [.. Awaiting, "playbook_approved", "playbook_approved", "check_run_started", "check_run_completed", "incident_closed"];

    [Fact]
    public async Task Alerts_decisions_check_runs_and_timers_each_take_effect_once()
    {
        await using var system = await FaultSystem.CreateAsync("twin");
        var settings = new Dictionary<string, string> { ["Incidents__ApprovalDeadlines__Low"] = "00:00:05" };
        const string roles = "ingestion,saga,generator,safety,approvals,runner";
        var a = system.NewHost(roles, settings);
        var b = system.NewHost(roles, settings);
        await a.StartAsync(TimeSpan.FromSeconds(120));
        await b.StartAsync(TimeSpan.FromSeconds(120));
        string Logs() => $"host A:\n{a.Tail(25)}\nhost B:\n{b.Tail(25)}";

        var run = Guid.NewGuid().ToString("N")[..8];
        using var ingestA = FaultSystem.Ingest(a, system.IngestKey);
        using var ingestB = FaultSystem.Ingest(b, system.IngestKey);
        var alerts = new List<(JsonObject Alert, string Kind)>();
        for (var n = 0; n < PlainAlerts; n++)
        {
            alerts.Add((FaultSystem.Alert(run, n, host: "lab-target"), "plain"));
        }

        for (var n = 0; n < ExpiringAlerts; n++)
        {
            alerts.Add((FaultSystem.Alert(run, 100 + n, severity: "low", host: "lab-target"), "expiring"));
        }

        for (var n = 0; n < ApprovedAlerts; n++)
        {
            // A harmless file the malware template would quarantine; the check run only reports it.
            var file = Path.Combine(system.Scratch, $"dropper-{n}.bin");
            await File.WriteAllTextAsync(file, $"not really malware {run} {n}");
            alerts.Add((new JsonObject
            {
                ["alertId"] = Guid.NewGuid().ToString(),
                ["source"] = "clamav",
                ["title"] = $"malware on lab {run} #{n}",
                ["severity"] = "high",
                ["host"] = "lab-target",
                ["ruleId"] = "52502",
                ["filePath"] = file,
                ["fileHash"] = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))),
            }, "approved"));
        }

        // Each alert goes to both webhooks at once: the same alert id, so one incident and one alert_received.
        var incidentOf = new Dictionary<string, (Guid Id, string Kind)>();
        foreach (var (alert, kind) in alerts)
        {
            var answers = await Task.WhenAll(FaultSystem.PostAlertAsync(ingestA, alert), FaultSystem.PostAlertAsync(ingestB, alert));
            Assert.True(answers.All(x => x.Accepted is not null), $"not acknowledged by both: {string.Join(" | ", answers.Select(x => x.Failure))}");
            var ids = answers.Select(x => x.Accepted!["incidentId"]!.GetValue<string>()).Distinct().ToList();
            Assert.True(ids.Count == 1, $"one alert sent to both hosts was assigned to {ids.Count} incidents: {string.Join(", ", ids)}");
            incidentOf[alert["alertId"]!.GetValue<string>()] = (Guid.Parse(ids[0]), kind);
        }

        var expected = alerts.Count;
        await FaultSystem.WaitAsync(async () => await system.ScalarAsync(
                "SELECT count(*) FROM incidents WHERE status IN ('AwaitingApproval', 'Expired')") >= expected ? "all" : null,
            "every incident to await approval (or expire)", TimeSpan.FromMinutes(3), Logs);

        // Each approver's decision goes to both APIs; alice's and bob's come through different hosts first.
        var approved = incidentOf.Values.Where(v => v.Kind == "approved").Select(v => v.Id).ToList();
        var apis = new[] { a, b };
        var decisions = new List<string>();
        foreach (var id in approved)
        {
            foreach (var approver in new[] { "alice", "bob" })
            {
                var answers = await Task.WhenAll(apis.Select(async host =>
                {
                    using var api = system.Api(host, approver);
                    using var playbook = await api.GetAsync($"api/incidents/{id}/playbook");
                    var sha = playbook.Headers.GetValues("X-Playbook-Sha256").Single();
                    using var decided = await api.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
                    return $"{(int)decided.StatusCode}";
                }));
                // The second copy is either accepted (the inbox drops it) or refused as already approved.
                Assert.True(answers.Contains("202") && answers.All(s => s is "202" or "409"), $"{approver} on {id}: {string.Join(",", answers)}");
                decisions.AddRange(answers);
                await FaultSystem.WaitAsync(async () => await system.ScalarAsync(
                        "SELECT count(*) FROM events WHERE stream_id = $1 AND type = 'playbook_approved' AND data->>'approver' = $2", $"incident-{id:D}", approver) >= 1 ? "yes" : null,
                    $"{approver}'s approval of {id}", TimeSpan.FromMinutes(1), Logs);
            }
        }

        await FaultSystem.WaitAsync(async () => await system.ScalarAsync(
                "SELECT count(*) FROM incidents WHERE status IN ('CheckSucceeded', 'CheckFailed', 'Failed')") >= ApprovedAlerts ? "all" : null,
            "every approved incident's check run", TimeSpan.FromMinutes(3), Logs);
        await FaultSystem.WaitAsync(async () => await system.ScalarAsync(
                "SELECT count(*) FROM incidents WHERE status = 'Expired'") >= ExpiringAlerts ? "all" : null,
            "the low-severity incidents to expire", TimeSpan.FromMinutes(1), Logs);
        // Give a duplicate a chance to show up: both hosts' sweepers and consumers keep running meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(8));

        var streams = await system.StreamsAsync();
        Assert.True(streams.Count == expected, $"{streams.Count} incident streams for {expected} distinct alerts\n{Logs()}");
        foreach (var (alertId, (id, kind)) in incidentOf)
        {
            var stream = streams.GetValueOrDefault($"incident-{id:D}") ?? [];
            var want = kind switch { "approved" => Checked, "expiring" => Expired, _ => Awaiting };
            Assert.True(stream.SequenceEqual(want), $"{kind} incident {id} (alert {alertId}) has {string.Join(",", stream)}, expected {string.Join(",", want)}");
        }

        var defects = await system.StreamDefectsAsync();
        Assert.True(defects.Count == 0, string.Join("; ", defects));
        var states = await system.RowsAsync("SELECT status, count(*) FROM incidents GROUP BY status ORDER BY status");
        var stateText = string.Join(", ", states.Select(s => $"{s[0]}={s[1]}"));
        Assert.True(stateText == $"AwaitingApproval={PlainAlerts}, CheckSucceeded={ApprovedAlerts}, Expired={ExpiringAlerts}", $"states: {stateText}");

        // The runner ledger: one claimed and answered row per run the saga started, and ansible started once per run.
        var runs = await system.RowsAsync("SELECT data->>'run_id' FROM events WHERE type = 'check_run_started'");
        var ledger = await system.RowsAsync("SELECT run_id::text, claimed_by, finished_at IS NOT NULL FROM runner_runs");
        Assert.True(ledger.Count == ApprovedAlerts && ledger.All(r => r[2] == "True") && runs.Select(r => r[0]).Order().SequenceEqual(ledger.Select(r => r[0]).Order()),
            $"check runs started {string.Join(",", runs.Select(r => r[0]))}; ledger {string.Join("; ", ledger.Select(r => string.Join(" ", r)))}");
        var ansibleStarts = CountAnsibleStarts(a.Log) + CountAnsibleStarts(b.Log);
        Assert.True(ansibleStarts == ApprovedAlerts, $"ansible-playbook started {ansibleStarts} times for {ApprovedAlerts} runs\n{Logs()}");
        Assert.True(!a.HasExited && !b.HasExited, $"a host exited\n{Logs()}");

        var verify = await SiemAiCli.RunAsync(system.Database, "audit", "verify");
        Assert.True(verify.ExitCode == 0, $"audit verify exited {verify.ExitCode}: {verify.Output}");
        output.WriteLine($"{expected} alerts each sent to both webhooks, {decisions.Count} decisions through both APIs ({decisions.Count(d => d == "409")} refused as repeats), " +
                         $"{ledger.Count} check runs by {string.Join("/", ledger.Select(r => r[1]).Distinct())}, {ExpiringAlerts} expiries");
    }

    private static int CountAnsibleStarts(string log) =>
        log.Split('\n').Count(line => line.Contains("\"Starting ", StringComparison.Ordinal) && line.Contains("ansible-playbook", StringComparison.Ordinal));
}
