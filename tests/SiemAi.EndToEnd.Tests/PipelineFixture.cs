using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// The assembled system: one host process with every role (ingestion, saga, generator, safety, approvals,
/// runner) on a scratch database and RabbitMQ virtual host, real ansible-playbook on the lab inventory,
/// two approvers and an auditor with API keys. Derived fixtures add settings (stand-ins for outside parties,
/// other rules) and people on top; the helpers below are the tests' view of the host, whatever its settings.
/// </summary>
public class PipelineFixture : IAsyncLifetime
{
    public ScratchDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost VirtualHost { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public string IngestKey { get; } = "ingest-" + Guid.NewGuid().ToString("N");
    public string Scratch { get; } = Directory.CreateTempSubdirectory("siemai-e2e-").FullName;

    /// <summary>
    /// Files "on the lab machine" a playbook may look at. The lab is a local connection, so ansible's view of the
    /// managed host is the runner's sandbox: only this folder of the test's scratch is bound into it (read-only).
    /// </summary>
    public string LabFiles => Path.Combine(Scratch, "lab-files");

    public Dictionary<string, (string Key, string Role)> People { get; } = new()
    {
        ["alice"] = ("alice-" + Guid.NewGuid().ToString("N"), "approver"),
        ["bob"] = ("bob-" + Guid.NewGuid().ToString("N"), "approver"),
        ["dave"] = ("dave-" + Guid.NewGuid().ToString("N"), "auditor"),
    };

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync(Label);
        VirtualHost = await RabbitVirtualHost.CreateAsync(Label);
        Db = NpgsqlDataSource.Create(Database.AppConnectionString);
        var env = HostEnvironment.For(Database, VirtualHost, "ingestion,saga,generator,safety,approvals,runner", IngestKey);
        env["RUNNER_LAB"] = "true";
        env["RUNNER_OUTPUT_PATH"] = Path.Combine(Scratch, "output");
        env["RUNNER_LIBRARY_PATH"] = Path.Combine(Scratch, "library");
        env["RUNNER_WORK_ROOT"] = Directory.CreateDirectory(Path.Combine(Scratch, "work")).FullName;
        env["Runner__SandboxReadOnlyPaths__0"] = Directory.CreateDirectory(LabFiles).FullName;
        foreach (var (name, (key, role)) in People)
        {
            env[$"Approvals__Principals__{name}__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            env[$"Approvals__Principals__{name}__Roles"] = role;
        }

        Configure(env);
        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>Prefix of the scratch database and virtual host, so a leftover names its fixture.</summary>
    protected virtual string Label => "pipe";

    /// <summary>Settings a derived fixture puts on top of the assembled host's before it starts.</summary>
    protected virtual void Configure(Dictionary<string, string> environment)
    {
    }

    public HttpClient Api(string person)
    {
        var http = new HttpClient { BaseAddress = Host.ReviewAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-API-Key", People[person].Key);
        return http;
    }

    /// <summary>Sends a generic alert through the webhook; returns the incident id once it exists.</summary>
    public async Task<Guid> RaiseAsync(object alert, string title)
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", IngestKey);
        using var response = await http.PostAsJsonAsync("ingest/generic", alert);
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return Guid.Parse(await WaitAsync(async () =>
        {
            await using var command = Db.CreateCommand("SELECT incident_id::text FROM incidents WHERE title = $1");
            command.Parameters.AddWithValue(title);
            return await command.ExecuteScalarAsync() as string;
        }, $"incident '{title}'"));
    }

    /// <summary>An alert about the lab machine, its title unique to the caller (so it opens its own incident).</summary>
    public Task<Guid> RaiseOnLabAsync(string title, string severity = "high") =>
        RaiseAsync(new { source = "siem-e2e", title, severity, host = "lab-target", ruleId = "5712", sourceIp = "203.0.113.7", mitreTechniques = new[] { "T1110" } }, title);

    /// <summary>The SHA-256 of the playbook the API shows for review (its X-Playbook-Sha256 header).</summary>
    public async Task<string> PlaybookShaAsync(Guid id)
    {
        using var dave = Api("dave");
        using var playbook = await dave.GetAsync($"api/incidents/{id}/playbook");
        playbook.EnsureSuccessStatusCode();
        return playbook.Headers.GetValues("X-Playbook-Sha256").Single();
    }

    /// <summary>One person's decision through the approval API, answered as the API answers it.</summary>
    public async Task<HttpResponseMessage> DecideAsync(string person, Guid id, string decision, string sha, string? comment = null)
    {
        using var http = Api(person);
        return await http.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision, comment, playbookSha256 = sha });
    }

    /// <summary>Each approver approves through the API (202), in turn, each approval recorded before the next.</summary>
    public async Task ApproveAsync(Guid id, string sha, params string[] approvers)
    {
        foreach (var approver in approvers)
        {
            using var decided = await DecideAsync(approver, id, "approve", sha);
            Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);
            await WaitAsync(async () => await ApprovalsByAsync(id, approver) > 0 ? "yes" : null, $"{approver}'s approval of incident {id}");
        }
    }

    /// <summary>
    /// Waits until the incident is <paramref name="expected"/> or in a state it should not have taken instead;
    /// fails with the newest events when it went the other way.
    /// </summary>
    public async Task ReachesAsync(Guid id, string expected, params string[] instead)
    {
        var status = await WaitForStatusAsync(id, [expected, .. instead]);
        Assert.True(status == expected, $"expected {expected}, got {status}: {await LastEventDataAsync(id)}");
    }

    /// <summary>Waits until the incident's playbook awaits approval; returns the SHA-256 under review.</summary>
    public async Task<string> UnderReviewAsync(Guid id)
    {
        await ReachesAsync(id, "AwaitingApproval", "Blocked", "Failed");
        return await PlaybookShaAsync(id);
    }

    public async Task<string> WaitForStatusAsync(Guid id, params string[] statuses) =>
        await WaitAsync(async () =>
        {
            await using var command = Db.CreateCommand("SELECT status FROM incidents WHERE incident_id = $1");
            command.Parameters.AddWithValue(id);
            return await command.ExecuteScalarAsync() is string s && statuses.Contains(s) ? s : null;
        }, $"incident {id} in {string.Join('/', statuses)}", seconds: 180);

    public async Task<List<string>> StreamAsync(Guid id)
    {
        await using var command = Db.CreateCommand("SELECT type FROM events WHERE stream_id = $1 ORDER BY version");
        command.Parameters.AddWithValue($"incident-{id:D}");
        var types = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0));
        }

        return types;
    }

    private async Task<long> ApprovalsByAsync(Guid id, string approver)
    {
        await using var command = Db.CreateCommand("SELECT count(*) FROM events WHERE stream_id = $1 AND type = 'playbook_approved' AND data->>'approver' = $2");
        command.Parameters.AddWithValue($"incident-{id:D}");
        command.Parameters.AddWithValue(approver);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The newest event's type and data, to say why an incident ended where it did.</summary>
    public async Task<string> LastEventDataAsync(Guid id)
    {
        await using var command = Db.CreateCommand("SELECT string_agg(type || ' ' || data::text, E'\n' ORDER BY version) FROM events WHERE stream_id = $1 AND version > (SELECT version - 3 FROM streams WHERE stream_id = $1)");
        command.Parameters.AddWithValue($"incident-{id:D}");
        return await command.ExecuteScalarAsync() as string ?? "(no events)";
    }

    public async Task<JsonObject> IncidentAsync(Guid id)
    {
        using var dave = Api("dave");
        return (await dave.GetFromJsonAsync<JsonObject>($"api/incidents/{id}"))!;
    }

    /// <summary>Runs the built <c>siemai</c> CLI against this fixture's database, as an auditor would.</summary>
    public Task<(int ExitCode, string Output)> CliAsync(params string[] args) => SiemAiCli.RunAsync(Database, args);

    /// <summary>
    /// What an auditor checks at the end of every path: <c>siemai audit verify --stream</c> exits 0 and
    /// <c>siemai audit replay --json</c> rebuilds the incident with <paramref name="status"/>; returns the replay.
    /// </summary>
    public async Task<JsonNode> AssertTrailAsync(Guid id, string status)
    {
        var verify = await CliAsync("audit", "verify", "--stream", $"incident-{id:D}");
        Assert.True(verify.ExitCode == 0, verify.Output);
        var replayed = await CliAsync("audit", "replay", id.ToString(), "--json");
        Assert.True(replayed.ExitCode == 0, replayed.Output);
        var replay = JsonNode.Parse(replayed.Output)!;
        Assert.Equal(status, replay["status"]!.GetValue<string>());
        return replay;
    }

    public static Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, int seconds = 90) =>
        Eventually.WaitAsync(probe, what, TimeSpan.FromSeconds(seconds));

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Db.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(Scratch, recursive: true);
    }
}
