using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using SiemAi.Approvals.Security;
using SiemAi.Http;
using SiemAi.Testing;

namespace SiemAi.Approvals.Tests;

/// <summary>
/// One real host (ingestion, saga, generator, safety, approvals) on a scratch database and RabbitMQ virtual host,
/// with named approver keys, a CAB secret and a loopback CAB webhook. Every playbook needs a CAB decision here
/// (threshold Low), so the CAB path is deterministic; low-severity alerts expire after a few seconds.
/// </summary>
public sealed class ApprovalsFixture : IAsyncLifetime
{
    public const string CabSecret = "cab-callback-secret-for-tests";
    public const string JwtSigningKey = "jwt-signing-key-for-tests-0123456789abcdef";
    public const string JwtIssuer = "https://idp.lab.invalid/";
    public const string JwtAudience = "siemai-review";
    private static int nextAddress = 10;

    public ScratchDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost VirtualHost { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public CabWebhookServer Cab { get; } = new();
    public Uri ReviewUrl { get; private set; } = null!;
    public string IngestKey { get; } = "ingest-" + Guid.NewGuid().ToString("N");

    /// <summary>Principal name → API key (the host only knows the keys' SHA-256).</summary>
    public Dictionary<string, string> Keys { get; } = new()
    {
        ["alice"] = "key-alice-" + Guid.NewGuid().ToString("N"),
        ["bob"] = "key-bob-" + Guid.NewGuid().ToString("N"),
        ["carol"] = "key-carol-" + Guid.NewGuid().ToString("N"),
        ["dave"] = "key-dave-" + Guid.NewGuid().ToString("N"),
        ["lab"] = "key-lab-" + Guid.NewGuid().ToString("N"),
    };

    private static readonly Dictionary<string, string> RolesOf = new()
    {
        ["alice"] = "approver",
        ["bob"] = "approver",
        ["carol"] = "cab",
        ["dave"] = "auditor",
        ["lab"] = "approver", // named like the ingest key the alerts come in with: the one who raised them
    };

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync("appr");
        VirtualHost = await RabbitVirtualHost.CreateAsync("appr");
        Db = NpgsqlDataSource.Create(Database.AppConnectionString);
        var env = HostEnvironment.For(Database, VirtualHost, "ingestion,saga,generator,safety,approvals", "unused-" + Guid.NewGuid().ToString("N"));
        // Alerts come in with an ingest key named "lab", the same name as an approver: the person who raised them.
        env["Ingestion__ApiKeys__lab__Hash"] = ApiKeyMatcher.HashOf(IngestKey);
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["CAB_WEBHOOK"] = Cab.Url.ToString(),
            ["CAB_CALLBACK_SECRET"] = CabSecret,
            ["Incidents__CabRiskThreshold"] = "Low",
            ["Approvals__Jwt__SigningKey"] = JwtSigningKey,
            ["Approvals__Jwt__Issuer"] = JwtIssuer,
            ["Approvals__Jwt__Audience"] = JwtAudience,
            ["Incidents__ApprovalDeadlines__Low"] = "00:00:05",
        })
        {
            env[name] = value;
        }

        foreach (var (name, key) in Keys)
        {
            env[$"Approvals__Principals__{name}__Hash"] = ApiKeyMatcher.HashOf(key);
            env[$"Approvals__Principals__{name}__Roles"] = RolesOf[name];
        }

        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(90));
        ReviewUrl = Host.ReviewAddress;
    }

    public HttpClient Client(string? principal = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = ReviewUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (principal is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", Keys[principal]);
        }

        return http;
    }

    /// <summary>Raises an alert through the real webhook and waits until its playbook awaits approval.</summary>
    public async Task<(Guid Id, string Sha)> NewIncidentAsync(string label, string severity = "high", string awaiting = "AwaitingApproval")
    {
        var title = $"{label} {Guid.NewGuid():N}";
        var address = Interlocked.Increment(ref nextAddress);
        using var ingest = new HttpClient { BaseAddress = Host.BaseAddress };
        ingest.DefaultRequestHeaders.Add("X-API-Key", IngestKey);
        using var response = await ingest.PostAsJsonAsync("ingest/generic", new
        {
            source = "siem-lab", // not the raiser: the ingest key name is
            title,
            severity,
            host = "lab-target",
            sourceIp = $"203.0.113.{address}",
            ruleId = "5712",
            mitreTechniques = new[] { "T1110" },
        });
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        var id = Guid.Parse(await WaitAsync(async () =>
        {
            await using var command = Db.CreateCommand("SELECT incident_id FROM incidents WHERE title = $1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = title });
            return await command.ExecuteScalarAsync() is Guid g ? g.ToString() : null;
        }, $"incident for '{title}'"));
        await WaitForStatusAsync(id, awaiting);
        using var auditor = Client("dave");
        using var playbook = await auditor.GetAsync($"api/incidents/{id}/playbook");
        playbook.EnsureSuccessStatusCode();
        return (id, playbook.Headers.GetValues("X-Playbook-Sha256").Single());
    }

    public async Task<string> WaitForStatusAsync(Guid id, params string[] statuses) =>
        await WaitAsync(async () =>
        {
            var status = await StatusAsync(id);
            return statuses.Contains(status) ? status : null;
        }, $"incident {id} in {string.Join("/", statuses)}");

    public async Task<string?> StatusAsync(Guid id)
    {
        await using var command = Db.CreateCommand("SELECT status FROM incidents WHERE incident_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<long> CountEventsAsync(Guid id, string type, string? approver = null)
    {
        await using var command = Db.CreateCommand("SELECT count(*) FROM events WHERE stream_id = $1 AND type = $2 AND ($3::text IS NULL OR data->>'approver' = $3)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"incident-{id:D}" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)approver ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, int seconds = 90) =>
        Eventually.WaitAsync(probe, what, TimeSpan.FromSeconds(seconds), () => Host.Tail(60));

    public static Task<JsonObject> ProblemAsync(HttpResponseMessage response) => ProblemResponse.ReadAsync(response);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Cab.DisposeAsync();
        await Db.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
