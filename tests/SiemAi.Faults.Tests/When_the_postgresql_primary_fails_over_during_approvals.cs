using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host with the approvals role on a PostgreSQL primary and its synchronous standby: incidents await approval,
/// two approvers (dual control) send their decisions over the API before, during and after the primary's death and
/// the standby's promotion. Every decision answered 202 is recorded in its incident's stream exactly once; a
/// decision refused with 503 while no primary was reachable is sent again by the client and then recorded; and
/// <c>siemai audit verify</c> passes on the promoted server.
/// </summary>
public sealed class When_the_postgresql_primary_fails_over_during_approvals(ITestOutputHelper output) : IAsyncLifetime
{
    private const int IncidentCount = 20;
    private static readonly string[] Approvers = ["alice", "bob"];

    private readonly string ingestKey = "pgfail-" + Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, string> keys = new()
    {
        ["alice"] = "alice-" + Guid.NewGuid().ToString("N"),
        ["bob"] = "bob-" + Guid.NewGuid().ToString("N"),
        ["dave"] = "dave-" + Guid.NewGuid().ToString("N"),
    };

    private readonly ConcurrentQueue<DecisionAnswer> answers = new();
    private PostgresFailoverRig rig = null!;

    public async Task InitializeAsync() =>
        rig = await PostgresFailoverRig.StartAsync("ingestion,saga,generator,safety,approvals", ingestKey, env =>
        {
            foreach (var (name, key) in keys)
            {
                env[$"Approvals__Principals__{name}__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
                env[$"Approvals__Principals__{name}__Roles"] = name == "dave" ? "auditor" : "approver";
            }
        });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Every_accepted_decision_is_recorded_once_after_the_standby_is_promoted()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var trail = new OutageTrail(rig.Database, run);
        using (var producer = new OutageWebhookProducer(rig.Host, ingestKey, run))
        {
            for (var n = 0; n < IncidentCount; n++)
            {
                Assert.True((await producer.SendAsync(n)).Accepted, producer.Summary());
            }
        }

        await OutageTrail.WaitForAsync(async () => await trail.IncidentsAsync("AwaitingApproval") == IncidentCount, TimeSpan.FromMinutes(3),
            async () => $"{await trail.IncidentsAsync()} incidents, not all at AwaitingApproval:\n{await trail.StragglersAsync("AwaitingApproval")}\n{rig.LogTails()}");
        var incidents = await UnderReviewAsync(run);
        Assert.Equal(IncidentCount, incidents.Count);

        // Each incident's two approvals in turn, about four a second, so decisions keep coming from before the kill
        // until after the promotion. A decision that got no 202 is put aside and sent again later, as a client would.
        var decisions = incidents.SelectMany(i => Approvers.Select(a => new Decision(i.Key, a, i.Value))).ToList();
        using var clients = new DecisionClients(rig.Host, keys, answers);
        var next = -1;
        var deciding = Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < decisions.Count; n = Interlocked.Increment(ref next))
            {
                await clients.SendAsync(decisions[n]);
                await Task.Delay(250);
            }
        });

        await WaitAsync(() => answers.Count(a => a.Accepted) >= 12, TimeSpan.FromSeconds(60), "12 decisions accepted before the primary dies");
        var acceptedBeforeKill = answers.Where(a => a.Accepted).Select(a => a.Decision).ToList();
        await rig.KillPrimaryAsync();
        await rig.PromoteStandbyAsync();
        await deciding;
        var asSent = answers.ToList();
        await clients.ResendUnacceptedAsync(decisions, TimeSpan.FromSeconds(120));

        await OutageTrail.WaitForAsync(async () => await trail.ScalarAsync(ApprovalsSql, (object)StreamIds(incidents)) >= decisions.Count, TimeSpan.FromMinutes(3),
            async () => $"{await trail.ScalarAsync(ApprovalsSql, (object)StreamIds(incidents))} approvals recorded of {decisions.Count}\n{await rig.ErrorQueuesAsync()}\n"
                + $"whole host log: {await rig.KeepHostLogAsync(run)}\n{Logs()}");

        Assert.Equal("false", await rig.Standby.SuperuserScalarAsync("SELECT pg_is_in_recovery()::text"));
        Assert.All(asSent, a => Assert.True(a.Accepted || (a.Status == 503 && a.Body.Contains("urn:siemai:problem:database-unavailable", StringComparison.Ordinal)),
            $"unexpected answer {a}\n{Logs()}"));
        Assert.All(answers.Except(asSent), a => Assert.True(a.Accepted, $"a re-sent decision was refused: {a}\n{Logs()}"));
        Assert.All(decisions, d => Assert.Contains(answers, a => a.Accepted && a.Decision == d));
        Assert.Contains(asSent, a => !a.Accepted);

        // Exactly one playbook_approved per (incident, approver): none lost across the failover, none twice.
        var recorded = await ApprovalsAsync(incidents);
        Assert.All(decisions, d => Assert.True(recorded.GetValueOrDefault((d.Incident, d.Approver)) == 1,
            $"{d.Approver} on {d.Incident}: {recorded.GetValueOrDefault((d.Incident, d.Approver))} approvals recorded\n{Logs()}"));
        Assert.Equal(decisions.Count, recorded.Values.Sum());
        Assert.All(acceptedBeforeKill, d => Assert.Equal(1, recorded[(d.Incident, d.Approver)]));
        Assert.Equal(0, await trail.IncidentsAsync("AwaitingApproval"));

        Assert.True(await rig.VirtualHost.QueueDepthAsync("incident-saga_error") is null or 0, await rig.ErrorQueuesAsync());
        await OutageTrail.WaitForAsync(async () => await trail.OutboxRowsAsync() == 0, TimeSpan.FromSeconds(30), async () => $"outbox not empty\n{Logs()}");
        var (exitCode, verify) = await SiemAiCli.RunAsync(rig.Database, "audit", "verify");
        Assert.True(exitCode == 0, $"audit verify exited {exitCode}:\n{verify}");
        Assert.False(rig.Host.HasExited, $"the host died\n{Logs()}");
        Assert.Equal(1, rig.Host.Starts);

        var refused = asSent.Where(a => !a.Accepted).ToList();
        var firstRefused = (refused.Min(a => a.SentAt) - rig.KilledAt).TotalSeconds;
        var lastRefused = (refused.Max(a => a.AnsweredAt) - rig.KilledAt).TotalSeconds;
        var firstAcceptedAfterPromote = answers.Where(a => a.Accepted && a.SentAt >= rig.PromotedAt).Select(a => (a.AnsweredAt - rig.PromotedAt).TotalSeconds).DefaultIfEmpty(double.NaN).Min();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgresql failover during approvals: {IncidentCount} incidents × {Approvers.Length} approvers; answers {Summary()}; "
            + $"{acceptedBeforeKill.Count} decisions accepted before the kill; promoted {PostgresFailoverRig.DetectionDelay.TotalSeconds:F0} s after the kill "
            + $"(pg_ctl promote took {rig.Promoting.TotalSeconds:F1} s); {refused.Count} decisions answered 503 on first sending, "
            + $"the first sent {firstRefused:F1} s and the last answered {lastRefused:F1} s after the kill; first 202 {firstAcceptedAfterPromote:F1} s after the promotion; "
            + $"{recorded.Values.Sum()} approvals recorded; verify: {verify.Trim().Split('\n').LastOrDefault()}"));
        output.WriteLine(OutageHostLog.Summary(rig.Host.Log));
    }

    private const string ApprovalsSql = "SELECT count(*) FROM events WHERE stream_id = ANY($1) AND type = 'playbook_approved'";

    private static string[] StreamIds(Dictionary<Guid, string> incidents) => [.. incidents.Keys.Select(i => $"incident-{i:D}")];

    /// <summary>The run's incidents and the SHA-256 of the playbook each shows for review (what an approver signs).</summary>
    private async Task<Dictionary<Guid, string>> UnderReviewAsync(string run)
    {
        var ids = new List<Guid>();
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(rig.Database.AppConnectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT incident_id FROM incidents WHERE title LIKE '%' || $1 || '%'", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = run });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        using var dave = new HttpClient { BaseAddress = rig.Host.ReviewAddress, Timeout = TimeSpan.FromSeconds(30) };
        dave.DefaultRequestHeaders.Add("X-API-Key", keys["dave"]);
        var shas = new Dictionary<Guid, string>();
        foreach (var id in ids)
        {
            using var playbook = await dave.GetAsync($"api/incidents/{id}/playbook");
            playbook.EnsureSuccessStatusCode();
            shas[id] = playbook.Headers.GetValues("X-Playbook-Sha256").Single();
        }

        return shas;
    }

    private async Task<Dictionary<(Guid Incident, string Approver), int>> ApprovalsAsync(Dictionary<Guid, string> incidents)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(rig.Database.AppConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT stream_id, data->>'approver', count(*)::int FROM events
             WHERE stream_id = ANY($1) AND type = 'playbook_approved' GROUP BY 1, 2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = StreamIds(incidents) });
        var counts = new Dictionary<(Guid, string), int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[(Guid.Parse(reader.GetString(0)["incident-".Length..]), reader.GetString(1))] = reader.GetInt32(2);
        }

        return counts;
    }

    private string Summary() =>
        string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key}"));

    private string Logs() => $"decision answers: {Summary()}\n{rig.LogTails()}";

    private Task WaitAsync(Func<bool> condition, TimeSpan within, string what) =>
        Poll.UntilAsync(condition, within, what, () => Task.FromResult(Logs()));

    private sealed record Decision(Guid Incident, string Approver, string PlaybookSha256);

    private sealed record DecisionAnswer(Decision Decision, int Status, string Body, DateTimeOffset SentAt, DateTimeOffset AnsweredAt)
    {
        public bool Accepted => Status == 202;
    }

    /// <summary>Each approver's API client, as a person's tool would use it: every answer kept, refused decisions sent again.</summary>
    private sealed class DecisionClients(HostProcess host, Dictionary<string, string> keys, ConcurrentQueue<DecisionAnswer> answers) : IDisposable
    {
        private readonly Dictionary<string, HttpClient> clients = Approvers.ToDictionary(a => a, a =>
        {
            var http = new HttpClient { BaseAddress = host.ReviewAddress, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-API-Key", keys[a]);
            return http;
        });

        public async Task SendAsync(Decision decision)
        {
            var sentAt = DateTimeOffset.UtcNow;
            DecisionAnswer answer;
            try
            {
                using var response = await clients[decision.Approver].PostAsJsonAsync($"api/incidents/{decision.Incident}/decisions",
                    new { decision = "approve", comment = "failover run", playbookSha256 = decision.PlaybookSha256 });
                answer = new DecisionAnswer(decision, (int)response.StatusCode, await response.Content.ReadAsStringAsync(), sentAt, DateTimeOffset.UtcNow);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                answer = new DecisionAnswer(decision, 0, ex.Message, sentAt, DateTimeOffset.UtcNow);
            }

            answers.Enqueue(answer);
        }

        public async Task ResendUnacceptedAsync(IReadOnlyList<Decision> decisions, TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            while (decisions.Where(d => !answers.Any(a => a.Accepted && a.Decision == d)).ToList() is { Count: > 0 } pending && DateTime.UtcNow < deadline)
            {
                foreach (var decision in pending)
                {
                    await SendAsync(decision);
                }

                await Task.Delay(1000);
            }
        }

        public void Dispose()
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }
}
