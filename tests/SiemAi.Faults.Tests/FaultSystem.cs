using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// One scratch database and RabbitMQ virtual host shared by the host processes of a fault test, with an
/// ingest key, two approvers and an auditor, and the queries the assertions need. Hosts listen on
/// loopback only (HTTP and syslog).
/// </summary>
public sealed class FaultSystem : IAsyncDisposable
{
    private readonly List<HostProcess> hosts = [];

    private FaultSystem(ScratchDatabase database, RabbitVirtualHost virtualHost)
    {
        Database = database;
        VirtualHost = virtualHost;
        Db = NpgsqlDataSource.Create(database.AppConnectionString);
    }

    public ScratchDatabase Database { get; }
    public RabbitVirtualHost VirtualHost { get; }
    public NpgsqlDataSource Db { get; }
    public string IngestKey { get; } = "ingest-" + Guid.NewGuid().ToString("N");
    public string Scratch { get; } = Directory.CreateTempSubdirectory("siemai-faults-").FullName;

    public Dictionary<string, (string Key, string Role)> People { get; } = new()
    {
        ["alice"] = ("alice-" + Guid.NewGuid().ToString("N"), "approver"),
        ["bob"] = ("bob-" + Guid.NewGuid().ToString("N"), "approver"),
        ["dave"] = ("dave-" + Guid.NewGuid().ToString("N"), "auditor"),
    };

    public static async Task<FaultSystem> CreateAsync(string prefix) =>
        new(await ScratchDatabase.CreateAsync(prefix), await RabbitVirtualHost.CreateAsync(prefix));

    /// <summary>A host (not started) with <paramref name="roles"/>; a runner gets the lab inventory and directories of its own.</summary>
    public HostProcess NewHost(string roles, IDictionary<string, string>? extra = null)
    {
        var env = HostEnvironment.For(Database, VirtualHost, roles, IngestKey);
        env["RATE_LIMIT"] = "none";
        env["Ingestion__Syslog__BindAddress"] = "127.0.0.1";
        foreach (var (name, (key, role)) in People)
        {
            env[$"Approvals__Principals__{name}__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            env[$"Approvals__Principals__{name}__Roles"] = role;
        }

        if (roles.Contains("runner", StringComparison.Ordinal))
        {
            var own = Path.Combine(Scratch, $"host{hosts.Count}");
            env["RUNNER_LAB"] = "true";
            env["RUNNER_OUTPUT_PATH"] = Path.Combine(own, "output");
            env["RUNNER_LIBRARY_PATH"] = Path.Combine(own, "library");
            env["RUNNER_WORK_ROOT"] = Directory.CreateDirectory(Path.Combine(own, "work")).FullName;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var host = new HostProcess(env);
        hosts.Add(host);
        return host;
    }

    public static HttpClient Ingest(HostProcess host, string key)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        return http;
    }

    public HttpClient Api(HostProcess host, string person)
    {
        var http = new HttpClient { BaseAddress = host.ReviewAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", People[person].Key);
        return http;
    }

    /// <summary>A generic alert that the ssh-brute-force template answers and the gate lets through; distinct per <paramref name="n"/>.</summary>
    public static JsonObject Alert(string run, int n, string severity = "high", string? host = null) => new()
    {
        ["alertId"] = Guid.NewGuid().ToString(),
        ["source"] = "fault-lab",
        ["title"] = $"SSH brute force {run} #{n}",
        ["severity"] = severity,
        ["host"] = host ?? $"web{n:D3}",
        ["sourceIp"] = $"203.0.{n / 250}.{n % 250 + 1}",
        ["ruleId"] = $"5712-{n}",
        ["mitreTechniques"] = new JsonArray("T1110"),
    };

    /// <summary>Posts one alert; the 202 body's accepted entry, or the status and body of any other answer.</summary>
    public static async Task<(JsonObject? Accepted, string Failure)> PostAlertAsync(HttpClient http, JsonObject alert)
    {
        using var response = await http.PostAsync("ingest/generic", new StringContent(alert.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return (null, $"{(int)response.StatusCode} {body}");
        }

        return ((JsonNode.Parse(body)!["accepted"]!.AsArray().Single()!).AsObject(), "");
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<List<string[]>> RowsAsync(string sql, params object[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var rows = new List<string[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Each incident stream's event types in version order.</summary>
    public async Task<Dictionary<string, List<string>>> StreamsAsync()
    {
        var streams = new Dictionary<string, List<string>>();
        foreach (var row in await RowsAsync("SELECT stream_id, type FROM events WHERE stream_id LIKE 'incident-%' ORDER BY stream_id, version"))
        {
            if (!streams.TryGetValue(row[0], out var types))
            {
                streams[row[0]] = types = [];
            }

            types.Add(row[1]);
        }

        return streams;
    }

    /// <summary>Streams whose versions are not exactly 1..n, and events whose id or message id appears twice.</summary>
    public async Task<List<string>> StreamDefectsAsync()
    {
        var defects = new List<string>();
        foreach (var row in await RowsAsync("""
            SELECT stream_id, count(*), min(version), max(version), count(DISTINCT version) FROM events
             GROUP BY stream_id HAVING min(version) <> 1 OR max(version) <> count(*) OR count(DISTINCT version) <> count(*)
            """))
        {
            defects.Add($"{row[0]}: {row[1]} events, versions {row[2]}..{row[3]} ({row[4]} distinct)");
        }

        foreach (var row in await RowsAsync("""
            SELECT stream_id, metadata->>'message_id', count(*) FROM events
             WHERE metadata->>'message_id' IS NOT NULL
             GROUP BY 1, 2, type HAVING count(*) > 1
            """))
        {
            defects.Add($"{row[0]}: message {row[1]} recorded {row[2]} times");
        }

        return defects;
    }

    public static Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan within, Func<string>? explain = null) =>
        Eventually.WaitAsync(probe, what, within, explain, TimeSpan.FromMilliseconds(500));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        await Db.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(Scratch, recursive: true);
    }
}
