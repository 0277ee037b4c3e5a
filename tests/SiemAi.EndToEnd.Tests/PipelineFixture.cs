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
/// two approvers and an auditor with API keys.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public ScratchDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost VirtualHost { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public string IngestKey { get; } = "ingest-" + Guid.NewGuid().ToString("N");
    public string Scratch { get; } = Directory.CreateTempSubdirectory("siemai-e2e-").FullName;

    public Dictionary<string, (string Key, string Role)> People { get; } = new()
    {
        ["alice"] = ("alice-" + Guid.NewGuid().ToString("N"), "approver"),
        ["bob"] = ("bob-" + Guid.NewGuid().ToString("N"), "approver"),
        ["dave"] = ("dave-" + Guid.NewGuid().ToString("N"), "auditor"),
    };

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync("pipe");
        VirtualHost = await RabbitVirtualHost.CreateAsync("pipe");
        Db = NpgsqlDataSource.Create(Database.AppConnectionString);
        var env = HostEnvironment.For(Database, VirtualHost, "ingestion,saga,generator,safety,approvals,runner", IngestKey);
        env["RUNNER_LAB"] = "true";
        env["RUNNER_OUTPUT_PATH"] = Path.Combine(Scratch, "output");
        env["RUNNER_LIBRARY_PATH"] = Path.Combine(Scratch, "library");
        env["RUNNER_WORK_ROOT"] = Directory.CreateDirectory(Path.Combine(Scratch, "work")).FullName;
        foreach (var (name, (key, role)) in People)
        {
            env[$"Approvals__Principals__{name}__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            env[$"Approvals__Principals__{name}__Roles"] = role;
        }

        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(120));
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

    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for {what}");
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Db.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(Scratch, recursive: true);
    }
}
