using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace SiemAi.Audit.Tests;

/// <summary>The auditor's HTTP API on the running host answers exactly what the CLI answers, and only to auditors.</summary>
[Collection(MonitoredHostCollection.Name)]
public sealed class When_an_auditor_asks_over_http(MonitoredHost run)
{
    [Fact]
    public async Task Replays_an_incident_at_a_version_exactly_as_the_cli_does()
    {
        var incident = await SettledIncidentAsync();

        using var http = Client("auditor-1");
        using var response = await http.GetAsync($"api/audit/incidents/{incident}?version=2");
        var cli = await CliProcess.RunAsync(run.Database, "audit", "replay", incident.ToString(), "--version", "2", "--json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, cli.ExitCode);
        var overHttp = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli.Output), overHttp), $"HTTP:\n{overHttp}\nCLI:\n{cli.Output}");
        Assert.Equal(2, overHttp!["version"]!.GetValue<long>());
        Assert.Equal(2, overHttp["timeline"]!.AsArray().Count);
    }

    [Fact]
    public async Task Verifies_a_stream_and_digests_the_store_as_the_cli_does()
    {
        var incident = await SettledIncidentAsync();
        using var http = Client("auditor-1");

        var verify = JsonNode.Parse(await http.GetStringAsync($"api/audit/verify?stream={incident}"));
        var cliVerify = await CliProcess.RunAsync(run.Database, "audit", "verify", "--stream", $"incident-{incident:D}", "--json");
        var digest = JsonNode.Parse(await http.GetStringAsync("api/audit/digest?asOf=2"));
        var cliDigest = await CliProcess.RunAsync(run.Database, "audit", "digest", "--as-of", "2", "--json");

        Assert.True(verify!["intact"]!.GetValue<bool>());
        Assert.Equal(1, verify["streams_checked"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cliVerify.Output), verify), $"HTTP:\n{verify}\nCLI:\n{cliVerify.Output}");
        Assert.Equal(2, digest!["as_of_sequence"]!.GetValue<long>());
        Assert.Equal(64, digest["digest"]!.GetValue<string>().Length);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cliDigest.Output), digest), $"HTTP:\n{digest}\nCLI:\n{cliDigest.Output}");
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("approver-1", HttpStatusCode.Forbidden)]
    public async Task Refuses_anyone_but_an_auditor(string? principal, HttpStatusCode expected)
    {
        var incident = await SettledIncidentAsync();
        using var http = Client(principal);

        foreach (var path in new[] { $"api/audit/incidents/{incident}", "api/audit/verify", "api/audit/digest" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("version=abc", "version")]
    [InlineData("version=0", "version")]
    [InlineData("at=yesterday", "at")]
    public async Task Names_the_bad_parameter_in_a_problem(string query, string parameter)
    {
        var incident = await SettledIncidentAsync();
        using var http = Client("auditor-1");

        using var response = await http.GetAsync($"api/audit/incidents/{incident}?{query}");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, problem["parameter"]!.GetValue<string>());
        Assert.Contains(parameter, problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_404_for_an_incident_with_no_events()
    {
        using var http = Client("auditor-1");

        using var response = await http.GetAsync($"api/audit/incidents/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Logs_each_recorded_audit_event_once_with_its_type_and_incident()
    {
        var incident = await SettledIncidentAsync();
        await using var db = NpgsqlDataSource.Create(run.Database.AppConnectionString);
        await using var command = db.CreateCommand("SELECT type FROM events WHERE stream_id = $1 ORDER BY version");
        command.Parameters.AddWithValue($"incident-{incident:D}");
        var stored = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        var logged = run.Host.Log.Split('\n')
            .Where(l => l.Contains($"\"incident_id\":\"{incident:D}\"", StringComparison.Ordinal) && l.Contains("\"event_type\":", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .OrderBy(e => e.GetProperty("version").GetInt64())
            .Select(e => e.GetProperty("event_type").GetString()!)
            .ToList();

        Assert.Contains("alert_received", stored);
        Assert.Equal(stored, logged);
    }

    private HttpClient Client(string? principal)
    {
        var http = new HttpClient { BaseAddress = run.Host.ReviewAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (principal is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", run.Secrets[$"{principal} key"]);
        }

        return http;
    }

    /// <summary>An incident of the run whose stream has stopped moving (it awaits approval or was closed).</summary>
    private async Task<Guid> SettledIncidentAsync()
    {
        await using var db = NpgsqlDataSource.Create(run.Database.AppConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await using var command = db.CreateCommand("SELECT incident_id FROM incidents WHERE status IN ('AwaitingApproval', 'Blocked', 'Failed') ORDER BY incident_id LIMIT 1");
            if (await command.ExecuteScalarAsync() is Guid id)
            {
                return id;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no incident of the run settled:\n" + run.Host.Tail());
            }

            await Task.Delay(500);
        }
    }
}
