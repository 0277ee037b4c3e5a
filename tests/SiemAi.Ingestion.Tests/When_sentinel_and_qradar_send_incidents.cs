using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiemAi.Contracts;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

/// <summary>Microsoft Sentinel incident webhooks and IBM QRadar offenses, detected and read as their products send them.</summary>
public sealed class When_sentinel_and_qradar_send_incidents(ProducerFixture fixture) : IClassFixture<ProducerFixture>
{
    private TestApp App => fixture.App;

    private static string Mark() => Guid.NewGuid().ToString("N")[..8];

    private static async Task<JsonElement[]> AcceptedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("accepted").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Fact]
    public async Task A_sentinel_playbook_trigger_body_is_detected_and_its_entities_fill_the_alert()
    {
        var mark = Mark();
        var body = ProducerSamples.Fill(ProducerSamples.SentinelIncident, mark, "lnx-web-03");
        var accepted = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/webhook", body)));

        var alert = (await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("sentinel", alert.Format);
        Assert.Equal("sentinel", alert.SourceSystem);
        Assert.Equal($"Brute force attack against Linux host {mark}", alert.Title);
        Assert.Equal("SSH brute force followed by success", alert.RuleName);
        Assert.Equal("8e0c7b6a-1f2d-4c3b-9a8e-7d6c5b4a3f21", alert.RuleId);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("lnx-web-03", alert.Asset);
        Assert.Equal("deploy", alert.User);
        Assert.Equal("203.0.113.45", alert.SourceIp);
        Assert.Equal(["T1110"], alert.MitreTechniques);
        Assert.Equal("CredentialAccess", alert.Category);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 9, 55, 12, 345, TimeSpan.Zero), alert.ObservedAt);
        Assert.Equal("4711", alert.Fields["sentinel.incident_number"]);
        Assert.Equal($"{mark}-4d2e-9f1a-7b3c5d6e8f90", alert.Fields["sentinel.incident_id"]);
        Assert.Equal("Create", alert.Fields["sentinel.event"]);
        Assert.Equal("law-soc-prod", alert.Fields["sentinel.workspace"]);
        Assert.StartsWith("https://portal.azure.com/", alert.Fields["sentinel.incident_url"], StringComparison.Ordinal);
        Assert.Equal(body, alert.RawPayload);
    }

    [Fact]
    public async Task An_update_of_the_same_sentinel_incident_joins_its_incident()
    {
        var mark = Mark();
        var created = ProducerSamples.Fill(ProducerSamples.SentinelIncident, mark, "lnx-web-04");
        var edited = JsonNode.Parse(created)!;
        edited["objectEventType"] = "Update";
        edited["object"]!["properties"]!["status"] = "Active";
        var updated = edited.ToJsonString();
        var first = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/sentinel", created)));
        var second = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/webhook", updated)));

        Assert.True(first.GetProperty("newIncident").GetBoolean());
        Assert.False(second.GetProperty("newIncident").GetBoolean());
        Assert.Equal(first.GetProperty("incidentId").GetGuid(), second.GetProperty("incidentId").GetGuid());
    }

    [Fact]
    public async Task The_bare_incident_resource_from_the_rest_api_is_read_too()
    {
        var envelope = JsonNode.Parse(ProducerSamples.Fill(ProducerSamples.SentinelIncident, Mark(), "lnx-web-05"))!;
        var resource = envelope["object"]!.ToJsonString();
        var accepted = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/webhook", resource)));

        var alert = (await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("sentinel", alert.Format);
        Assert.Equal("lnx-web-05", alert.Asset);
    }

    [Fact]
    public async Task A_sentinel_body_with_a_severity_it_does_not_have_is_refused_naming_the_field()
    {
        var urgent = JsonNode.Parse(ProducerSamples.Fill(ProducerSamples.SentinelIncident, Mark(), "h"))!;
        urgent["object"]!["properties"]!["severity"] = "Urgent";
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", urgent.ToJsonString()), HttpStatusCode.UnprocessableEntity, "object.properties.severity");
        var noTitle = JsonNode.Parse(ProducerSamples.Fill(ProducerSamples.SentinelIncident, Mark(), "h"))!;
        noTitle["object"]!["properties"]!.AsObject().Remove("title");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/sentinel", noTitle.ToJsonString()), HttpStatusCode.UnprocessableEntity, "object.properties.title");
    }

    [Fact]
    public async Task A_qradar_offense_is_detected_and_its_offense_type_decides_what_its_source_is()
    {
        var mark = Mark();
        var offense = Random.Shared.NextInt64(1_000, 1_000_000_000);
        var body = ProducerSamples.Fill(ProducerSamples.QRadarOffense, mark, "lnx-db-01", offense);
        var accepted = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/webhook", body)));

        var alert = (await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("qradar", alert.Format);
        Assert.Equal($"SSH brute force {mark}", alert.Title);
        Assert.Equal("100211", alert.RuleId);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("203.0.113.45", alert.SourceIp);
        Assert.Equal("lnx-db-01", alert.Asset);
        Assert.Equal("SSH Login Failed", alert.Category);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1740822912000), alert.ObservedAt);
        Assert.Equal(offense.ToString(System.Globalization.CultureInfo.InvariantCulture), alert.Fields["qradar.offense_id"]);
        Assert.Equal("Source IP", alert.Fields["qradar.offense_type"]);
        Assert.Equal("6", alert.Fields["qradar.magnitude"]);
        Assert.Contains("containing Authentication Failed", alert.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_of_offenses_is_one_alert_each_and_a_username_offense_names_the_user()
    {
        var first = ProducerSamples.Fill(ProducerSamples.QRadarOffense, Mark(), "lnx-db-02", Random.Shared.NextInt64(1_000, 1_000_000_000));
        var second = ProducerSamples.Fill(ProducerSamples.QRadarOffense, Mark(), "lnx-db-03", Random.Shared.NextInt64(1_000, 1_000_000_000))
            .Replace("\"offense_source\": \"203.0.113.45\"", "\"offense_source\": \"svc_backup\"", StringComparison.Ordinal)
            .Replace("\"offense_type\": 0", "\"offense_type\": 3", StringComparison.Ordinal);
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/qradar", $"[{first},{second}]"));

        Assert.Equal(2, accepted.Length);
        var user = (await App.Collector.WaitForAsync(accepted[1].GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("svc_backup", user.User);
        Assert.Null(user.SourceIp);
        Assert.Equal("lnx-db-03", user.Asset);
        Assert.StartsWith("{", user.RawPayload, StringComparison.Ordinal);
        Assert.Contains("svc_backup", user.RawPayload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_qradar_offense_without_its_number_or_with_an_out_of_scale_severity_is_refused_naming_the_field()
    {
        var body = ProducerSamples.Fill(ProducerSamples.QRadarOffense, Mark(), "h", 42);
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/qradar", body.Replace("\"id\": 42,", "\"id\": \"forty-two\",", StringComparison.Ordinal)),
            HttpStatusCode.UnprocessableEntity, "id");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", body.Replace("\"severity\": 8,", "\"severity\": 11,", StringComparison.Ordinal)),
            HttpStatusCode.UnprocessableEntity, "severity");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/qradar", $"[{body},42]"), HttpStatusCode.UnprocessableEntity, "[1]");
    }
}
