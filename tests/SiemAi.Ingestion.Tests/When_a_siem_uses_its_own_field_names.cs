using System.Net;
using System.Text.Json;
using SiemAi.Contracts;
using SiemAi.Ingestion.Tests.Support;

namespace SiemAi.Ingestion.Tests;

/// <summary>
/// Real SIEM JSON as it comes: snake_case, camelCase, kebab-case, nested objects and fields of its own. Known
/// fields are read under their spellings, the rest is kept and named, values are checked as strictly as ever.
/// </summary>
public sealed class When_a_siem_uses_its_own_field_names(ProducerFixture fixture) : IClassFixture<ProducerFixture>
{
    private TestApp App => fixture.App;

    private static string Mark() => Guid.NewGuid().ToString("N")[..10];

    private static async Task<JsonElement> AcceptedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {text}");
        return Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("accepted").EnumerateArray()).Clone();
    }

    private static string[] Unmapped(JsonElement accepted) =>
        accepted.GetProperty("unmappedFields").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Snake_case_camel_case_and_extra_field_bodies_become_the_same_alert()
    {
        var mark = Mark();
        var snake = $$"""{"source":"custom-siem","rule_id":"CUSTOM-042","title":"SSH key added {{mark}}","severity":"high","hostname":"bastion-01","src_ip":"198.51.100.7","user_name":"deploy","mitre_techniques":["T1098.004"],"timestamp":"2025-03-01T10:00:00Z"}""";
        var camel = $$"""{"source":"custom-siem","ruleId":"CUSTOM-042","title":"SSH key added {{mark}}","severity":"high","host":"bastion-01","sourceIp":"198.51.100.7","user":"deploy","mitreTechniques":["t1098.004"],"timestamp":"2025-03-01T10:00:00Z"}""";
        var extra = $$"""
            {"source":"custom-siem","Rule-ID":"CUSTOM-042","title":"SSH key added {{mark}}","severity":"high","asset":"bastion-01",
             "source_address":"198.51.100.7","user":{"name":"deploy"},"mitre":"T1098.004","time":1740823200,
             "vendor_score":87,"detection":{"engine":"yara","tags":["ssh","persistence"]},"analyst_note":null}
            """;

        var first = await AcceptedAsync(await App.PostAsync("/ingest/webhook", snake));
        var second = await AcceptedAsync(await App.PostAsync("/ingest/webhook", camel));
        var third = await AcceptedAsync(await App.PostAsync("/ingest/generic", extra));

        var alerts = new List<NormalizedAlert>();
        foreach (var accepted in new[] { first, second, third })
        {
            alerts.Add((await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid())).Alert);
        }

        Assert.All(alerts, a =>
        {
            Assert.Equal("generic", a.Format);
            Assert.Equal("custom-siem", a.SourceSystem);
            Assert.Equal("CUSTOM-042", a.RuleId);
            Assert.Equal($"SSH key added {mark}", a.Title);
            Assert.Equal(Severity.High, a.Severity);
            Assert.Equal("bastion-01", a.Asset);
            Assert.Equal("198.51.100.7", a.SourceIp);
            Assert.Equal("deploy", a.User);
            Assert.Equal(["T1098.004"], a.MitreTechniques);
            Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), a.ObservedAt);
            Assert.Equal(alerts[0].Fingerprint, a.Fingerprint);
        });
        // Same fingerprint inside the dedup window: one incident for all three.
        Assert.Equal(first.GetProperty("incidentId").GetGuid(), third.GetProperty("incidentId").GetGuid());
        Assert.Empty(Unmapped(first));
        Assert.Empty(Unmapped(second));
        Assert.Equal(["vendor_score", "detection.engine", "detection.tags", "analyst_note"], Unmapped(third));
        Assert.Equal("87", alerts[2].Fields["vendor_score"]);
        Assert.Equal("yara", alerts[2].Fields["detection.engine"]);
        Assert.Equal("""["ssh","persistence"]""", alerts[2].Fields["detection.tags"]);
        Assert.Equal("null", alerts[2].Fields["analyst_note"]);
        Assert.Equal(extra, alerts[2].RawPayload);
    }

    [Fact]
    public async Task The_payloads_own_submitter_is_kept_as_a_claim_and_the_key_submits()
    {
        var body = $$"""{"source":"custom-siem","title":"claims {{Mark()}}","severity":"low","submitted_by":"alice"}""";
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/generic", body));

        var alert = (await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("primary", alert.Fields["submitted_by"]);
        Assert.Equal("alice", alert.Fields["claimed_submitted_by"]);
        Assert.Equal(["claimed_submitted_by"], Unmapped(accepted));
    }

    [Fact]
    public async Task A_producer_id_that_is_no_uuid_is_kept_but_never_merges_two_alerts_into_one()
    {
        // Some producers number rules, not alerts: taking "RULE-12" as the alert id would make every later
        // alert of that rule look like a re-send of the first, and vanish.
        var body = $$"""{"source":"custom-siem","alert_id":"RULE-12","title":"numbered {{Mark()}}","severity":"low"}""";
        var first = await AcceptedAsync(await App.PostAsync("/ingest/generic", body));
        var again = await AcceptedAsync(await App.PostAsync("/ingest/generic", body));

        Assert.NotEqual(first.GetProperty("alertId").GetGuid(), again.GetProperty("alertId").GetGuid());
        Assert.False(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(["alert_id"], Unmapped(again));
        var alert = (await App.Collector.WaitForAsync(again.GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("RULE-12", alert.Fields["alert_id"]);

        // A UUID is the producer's alert id: its re-send counts once. An empty one is a bug, refused.
        var id = Guid.NewGuid();
        var withUuid = $$"""{"source":"custom-siem","alert_id":"{{id}}","title":"uuid {{Mark()}}","severity":"low"}""";
        Assert.Equal(id, (await AcceptedAsync(await App.PostAsync("/ingest/generic", withUuid))).GetProperty("alertId").GetGuid());
        Assert.True((await AcceptedAsync(await App.PostAsync("/ingest/generic", withUuid))).GetProperty("duplicate").GetBoolean());
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", $$"""{"source":"s","alert_id":"{{Guid.Empty}}","title":"t","severity":"low"}"""),
            HttpStatusCode.UnprocessableEntity, "alert_id");
    }

    [Fact]
    public async Task Two_spellings_that_disagree_are_refused_naming_both_and_agreeing_ones_are_one()
    {
        var disagree = """{"source":"custom-siem","ruleId":"CUSTOM-042","rule_id":"CUSTOM-043","title":"t","severity":"low"}""";
        var problem = await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", disagree), HttpStatusCode.UnprocessableEntity, "ruleId, rule_id");
        Assert.Equal("urn:siemai:problem:ambiguous-field", problem.GetProperty("type").GetString());
        Assert.Contains("CUSTOM-043", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var nested = """{"source_system":"custom-siem","title":"t","severity":"low","src_ip":"10.0.0.1","source":{"ip":"10.0.0.2"}}""";
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", nested), HttpStatusCode.UnprocessableEntity, "src_ip, source.ip");

        var agree = $$"""{"source":"custom-siem","ruleId":"R-1","rule_id":"R-1","title":"agree {{Mark()}}","severity":"low"}""";
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/generic", agree));
        Assert.Empty(Unmapped(accepted));
        Assert.Equal("R-1", (await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid())).Alert.RuleId);
    }

    [Fact]
    public async Task A_mapped_value_is_still_validated_and_the_error_names_the_producers_field()
    {
        var body = """{"source":"custom-siem","title":"t","severity":"low","src_ip":"10.0.0.999","hostname":"web 01; rm -rf /","mitre":["Brute force"]}""";
        var problem = await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", body), HttpStatusCode.UnprocessableEntity, "hostname");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("src_ip", out var ip), problem.ToString());
        Assert.Contains("IPv4 or IPv6", ip[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("mitre[0]", out _), problem.ToString());

        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", """{"source":"s","title":"t","severity":"purple"}"""), HttpStatusCode.UnprocessableEntity, "severity");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", """{"source":"s","title":"t","sev":"high","dst_port":"22x"}"""), HttpStatusCode.UnprocessableEntity, "dst_port");
    }

    [Fact]
    public async Task A_missing_field_is_refused_with_the_spellings_that_would_have_been_read()
    {
        var problem = await ProblemAssert.IsProblemAsync(
            await App.PostAsync("/ingest/generic", """{"source":"s","summary":"no title here","severity":"low"}"""), HttpStatusCode.UnprocessableEntity, "title");
        Assert.Contains("alert_title", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_strict_key_still_refuses_an_unknown_property_and_other_spellings()
    {
        await ProblemAssert.IsProblemAsync(
            await App.PostAsync("/ingest/generic", """{"source":"a","title":"b","severity":"low","hots":"typo"}""", key: ProducerFixture.StrictKey),
            HttpStatusCode.UnprocessableEntity, "hots");
        var problem = await ProblemAssert.IsProblemAsync(
            await App.PostAsync("/ingest/generic", """{"source":"custom-siem","rule_id":"CUSTOM-042","title":"t","severity":"high"}""", key: ProducerFixture.StrictKey),
            HttpStatusCode.UnprocessableEntity, "rule_id");
        Assert.Equal("urn:siemai:problem:invalid-payload", problem.GetProperty("type").GetString());
        await ProblemAssert.IsProblemAsync(
            await App.PostAsync("/ingest/generic", """{"source":"a","title":"b","severity":"low","destinationPort":"22"}""", key: ProducerFixture.StrictKey),
            HttpStatusCode.UnprocessableEntity, "destinationPort");

        // The schema itself still passes with the strict key.
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/generic",
            $$"""{"source":"custom-siem","ruleId":"CUSTOM-042","title":"strict {{Mark()}}","severity":"high","host":"bastion-01"}""", key: ProducerFixture.StrictKey));
        Assert.Empty(Unmapped(accepted));
    }

    [Fact]
    public async Task A_configured_mapping_takes_effect_for_its_key_only()
    {
        var mark = Mark();
        var body = $$$"""
            {"source":"acme-xdr","severity":"high","title":"generic headline {{{mark}}}",
             "alarm":{"sig":{"code":"ACME-7","label":"Shell spawned by web server {{{mark}}}","score":9}},
             "endpoint":{"fqdn":"web-07"},"net":{"peer":"198.51.100.4"}}
            """;

        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/webhook", body, key: ProducerFixture.MappedKey));
        var alert = (await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("ACME-7", alert.RuleId);
        Assert.Equal($"Shell spawned by web server {mark}", alert.Title);
        Assert.Equal("web-07", alert.Asset);
        Assert.Equal("198.51.100.4", alert.SourceIp);
        Assert.Equal("acme-xdr", alert.Fields["submitted_by"]);
        // The mapping wins over the top-level spelling, which is kept rather than dropped.
        Assert.Equal(["alarm.sig.score", "title"], Unmapped(accepted).Order(StringComparer.Ordinal));
        Assert.Equal($"generic headline {mark}", alert.Fields["title"]);

        // Without the mapping the same body has no rule, host or address of ours.
        var plain = await AcceptedAsync(await App.PostAsync("/ingest/generic", body));
        var unmapped = (await App.Collector.WaitForAsync(plain.GetProperty("alertId").GetGuid())).Alert;
        Assert.Null(unmapped.RuleId);
        Assert.Null(unmapped.Asset);
        Assert.Contains("alarm.sig.code", Unmapped(plain));
        Assert.NotEqual(alert.Fingerprint, unmapped.Fingerprint);
    }

    [Fact]
    public async Task A_mapped_key_whose_body_lacks_the_mapped_field_is_refused_naming_it()
    {
        var body = """{"source":"acme-xdr","severity":"high","alarm":{"sig":{"code":"ACME-7"}},"endpoint":{"fqdn":"web-07"}}""";
        var problem = await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", body, key: ProducerFixture.MappedKey), HttpStatusCode.UnprocessableEntity, "title");
        Assert.Contains("field mapping", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
