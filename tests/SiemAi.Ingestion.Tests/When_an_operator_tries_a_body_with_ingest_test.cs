using System.CommandLine;
using System.Net;
using System.Text.Json;
using SiemAi.Cli.Ingest;
using SiemAi.Ingestion.Tests.Support;

namespace SiemAi.Ingestion.Tests;

/// <summary>
/// <c>siemai ingest test</c>, run through its command-line parser: it shows what the webhook would make of a
/// body (the same code), so its fingerprint and unmapped fields are the webhook's.
/// </summary>
public sealed class When_an_operator_tries_a_body_with_ingest_test(ProducerFixture fixture) : IClassFixture<ProducerFixture>, IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("siemai-ingest-test-");

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The operator's settings file: what the host's appsettings would hold (mappings and key policies, no hashes needed).</summary>
    private string Settings(Action<Dictionary<string, string?>>? change = null)
    {
        var flat = new Dictionary<string, string?>();
        ProducerFixture.Configure(flat);
        change?.Invoke(flat);
        var root = new Dictionary<string, object>();
        foreach (var (key, value) in flat)
        {
            var parts = key.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (!node.TryGetValue(part, out var child))
                {
                    node[part] = child = new Dictionary<string, object>();
                }

                node = (Dictionary<string, object>)child;
            }

            node[parts[^1]] = value!;
        }

        return Write("appsettings.json", JsonSerializer.Serialize(root));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = new RootCommand("siemai");
        root.Subcommands.Add(IngestCommand.Create());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task It_prints_the_fingerprint_and_unmapped_fields_the_webhook_gives_the_same_body()
    {
        var body = $$$"""{"source":"custom-siem","rule_id":"CUSTOM-042","title":"tried {{{Guid.NewGuid():N}}}","severity":"high","hostname":"bastion-01","vendor_score":87,"detection":{"engine":"yara"}}""";
        using var response = await fixture.App.PostAsync("/ingest/webhook", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var webhook = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accepted")[0];

        var (exit, stdout, stderr) = await RunAsync("ingest", "test", Write("alert.json", body), "--json");

        Assert.True(exit == 0, stderr + stdout);
        var printed = JsonDocument.Parse(stdout).RootElement;
        Assert.True(printed.GetProperty("accepted").GetBoolean());
        var alert = printed.GetProperty("alerts")[0];
        Assert.Equal(webhook.GetProperty("fingerprint").GetString(), alert.GetProperty("fingerprint").GetString());
        Assert.Equal(["vendor_score", "detection.engine"], alert.GetProperty("unmappedFields").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CUSTOM-042", alert.GetProperty("alert").GetProperty("ruleId").GetString());
        Assert.Equal("bastion-01", alert.GetProperty("alert").GetProperty("asset").GetString());
        Assert.Equal("high", alert.GetProperty("alert").GetProperty("severity").GetString());

        var (textExit, text, _) = await RunAsync("ingest", "test", Write("alert.json", body));
        Assert.Equal(0, textExit);
        Assert.Contains($"fingerprint: {webhook.GetProperty("fingerprint").GetString()}", text, StringComparison.Ordinal);
        Assert.Contains("unmapped:    vendor_score, detection.engine", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_applies_a_keys_mapping_from_the_operators_settings()
    {
        var body = """{"source":"acme-xdr","severity":"high","alarm":{"sig":{"code":"ACME-7","label":"Shell spawned by web server"}},"endpoint":{"fqdn":"web-07"},"net":{"peer":"198.51.100.4"}}""";
        var (exit, stdout, stderr) = await RunAsync("ingest", "test", Write("acme.json", body), "--key", "acme-xdr", "--settings", Settings(), "--json");

        Assert.True(exit == 0, stderr + stdout);
        var alert = JsonDocument.Parse(stdout).RootElement.GetProperty("alerts")[0].GetProperty("alert");
        Assert.Equal("ACME-7", alert.GetProperty("ruleId").GetString());
        Assert.Equal("Shell spawned by web server", alert.GetProperty("title").GetString());
        Assert.Equal("web-07", alert.GetProperty("asset").GetString());
        Assert.Equal("acme-xdr", alert.GetProperty("fields").GetProperty("submitted_by").GetString());
    }

    [Fact]
    public async Task It_exits_one_with_the_webhooks_problem_for_a_body_the_webhook_would_refuse()
    {
        var body = """{"source":"custom-siem","rule_id":"CUSTOM-042","title":"t","severity":"high"}""";
        var (exit, stdout, _) = await RunAsync("ingest", "test", Write("strict.json", body), "--key", "strict", "--settings", Settings(), "--json");

        Assert.Equal(1, exit);
        var problem = JsonDocument.Parse(stdout).RootElement.GetProperty("problem");
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.Equal("rule_id", problem.GetProperty("field").GetString());

        var (textExit, text, _) = await RunAsync("ingest", "test", Write("bad.json", """{"source":"s","title":"t","severity":"low","src_ip":"10.0.0.999"}"""));
        Assert.Equal(1, textExit);
        Assert.Contains("REFUSED 422 invalid-alert at 'src_ip'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_reads_cef_lines_and_a_forced_format()
    {
        var (exit, stdout, stderr) = await RunAsync("ingest", "test", Write("events.cef", "CEF:0|Acme|IDS|2.3|sig-9|Port sweep|8|src=198.51.100.3 dhost=files-1\n"), "--json");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Equal("cef", JsonDocument.Parse(stdout).RootElement.GetProperty("alerts")[0].GetProperty("alert").GetProperty("format").GetString());

        var sentinel = SiemAi.Testing.ProducerSamples.Fill(SiemAi.Testing.ProducerSamples.SentinelIncident, "abc", "lnx-1");
        var (forced, output, _) = await RunAsync("ingest", "test", Write("incident.json", sentinel), "--format", "qradar", "--json");
        Assert.Equal(1, forced);
        Assert.Equal("id", JsonDocument.Parse(output).RootElement.GetProperty("problem").GetProperty("field").GetString());
    }

    [Fact]
    public async Task It_exits_two_naming_a_wrong_setting_or_a_missing_file()
    {
        var settings = Settings(s => s["Ingestion:FieldMappings:acme:ruleId"] = "alarm/sig/code");
        var (exit, _, stderr) = await RunAsync("ingest", "test", Write("a.json", "{}"), "--settings", settings);
        Assert.Equal(2, exit);
        Assert.Contains("Ingestion:FieldMappings:acme:ruleId", stderr, StringComparison.Ordinal);

        var (missing, _, error) = await RunAsync("ingest", "test", Path.Combine(folder.FullName, "nope.json"));
        Assert.Equal(2, missing);
        Assert.Contains("nope.json", error, StringComparison.Ordinal);

        var (unknownKey, _, keyError) = await RunAsync("ingest", "test", Write("b.json", "{}"), "--key", "nobody");
        Assert.Equal(2, unknownKey);
        Assert.Contains("--key nobody", keyError, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Delete(recursive: true);
}
