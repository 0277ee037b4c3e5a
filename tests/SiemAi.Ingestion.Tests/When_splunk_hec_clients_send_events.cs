using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SiemAi.Contracts;
using SiemAi.Ingestion.Tests.Support;

namespace SiemAi.Ingestion.Tests;

/// <summary>
/// The Splunk HTTP Event Collector endpoint as HEC clients use it (logging libraries, the OpenTelemetry
/// exporter, forwarders): token header, concatenated events, HEC's answers and codes, indexer acknowledgement.
/// </summary>
public sealed class When_splunk_hec_clients_send_events(ProducerFixture fixture) : IClassFixture<ProducerFixture>
{
    private TestApp App => fixture.App;

    private static string Mark() => Guid.NewGuid().ToString("N")[..10];

    private Task<HttpResponseMessage> SendAsync(string body, string? authorization = "Splunk " + TestApp.PrimaryKey, string path = "services/collector/event",
        Guid? channel = null, Action<HttpRequestMessage>? adjust = null)
    {
        // Content type as curl sends it by default: HEC does not look at it.
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (channel is { } c)
        {
            request.Headers.Add("X-Splunk-Request-Channel", c.ToString());
        }

        adjust?.Invoke(request);
        return App.Http.SendAsync(request);
    }

    private static async Task<JsonElement> HecErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string text)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(code, json.GetProperty("code").GetInt32());
        Assert.Equal(text, json.GetProperty("text").GetString());
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:siemai:problem:", json.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()));
        return json;
    }

    private async Task<long> AlertRowsAsync() => await IngestionDatabase.ScalarAsync<long>(fixture.Database, "SELECT count(*) FROM ingestion_alerts");

    [Fact]
    public async Task A_batch_of_concatenated_events_is_answered_success_once_every_alert_is_confirmed()
    {
        var mark = Mark();
        // Written from Splunk's "Format events for HTTP Event Collector": envelope metadata, then the event;
        // several events back to back in one request, whitespace between them allowed.
        var body = $$$"""
            {"time":1740823200.5,"host":"bastion-01","source":"custom-siem","sourcetype":"_json","index":"security",
             "event":{"rule_id":"CUSTOM-042","title":"SSH key added {{{mark}}}","severity":"high","src_ip":"198.51.100.7","mitre":["T1098.004"],"vendor_score":87},
             "fields":{"environment":"prod","teams":["secops","infra"]}}
            {"time":"1740823260","host":"fw-2","source":"cef-relay","event":"CEF:0|Acme|IDS|2.3|sig-9|Port sweep {{{mark}}}|8|src=198.51.100.3 dst=10.0.0.9"}
            """;

        using var response = await SendAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Success", json.GetProperty("text").GetString());
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.False(json.TryGetProperty("ackId", out var none) && none.ValueKind != JsonValueKind.Null, "no channel, no ack id");
        var accepted = json.GetProperty("accepted").EnumerateArray().ToList();
        Assert.Equal(2, accepted.Count);
        Assert.Equal(["vendor_score"], accepted[0].GetProperty("unmappedFields").EnumerateArray().Select(e => e.GetString()));

        var generic = (await App.Collector.WaitForAsync(accepted[0].GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("generic", generic.Format);
        Assert.Equal("custom-siem", generic.SourceSystem);
        Assert.Equal("bastion-01", generic.Asset);
        Assert.Equal("CUSTOM-042", generic.RuleId);
        Assert.Equal("198.51.100.7", generic.SourceIp);
        Assert.Equal(Severity.High, generic.Severity);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1740823200500), generic.ObservedAt);
        Assert.Equal("_json", generic.Fields["hec.sourcetype"]);
        Assert.Equal("security", generic.Fields["hec.index"]);
        Assert.Equal("prod", generic.Fields["hec.fields.environment"]);
        Assert.Equal("""["secops","infra"]""", generic.Fields["hec.fields.teams"]);
        Assert.Equal("primary", generic.Fields["submitted_by"]);
        Assert.Contains("\"sourcetype\":\"_json\"", generic.RawPayload, StringComparison.Ordinal);

        var cef = (await App.Collector.WaitForAsync(accepted[1].GetProperty("alertId").GetGuid())).Alert;
        Assert.Equal("cef", cef.Format);
        Assert.Equal("fw-2", cef.Asset);
        Assert.Equal(Severity.High, cef.Severity);
        Assert.Equal("primary", cef.Fields["submitted_by"]);
    }

    [Fact]
    public async Task The_other_collector_paths_take_the_same_events()
    {
        foreach (var path in new[] { "services/collector", "services/collector/event/1.0" })
        {
            using var response = await SendAsync($$$"""{"event":{"source":"custom-siem","title":"via {{{path}}} {{{Mark()}}}","severity":"low"}}""", path: path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_channel_gets_ack_ids_that_only_its_own_key_can_query()
    {
        var channel = Guid.NewGuid();
        using var first = await SendAsync($$$"""{"event":{"source":"s","title":"acked {{{Mark()}}}","severity":"low"}}""", channel: channel);
        using var second = await SendAsync($$$"""{"event":{"source":"s","title":"acked {{{Mark()}}}","severity":"low"}}""", channel: channel);
        Assert.Equal(0, JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("ackId").GetInt64());
        Assert.Equal(1, JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("ackId").GetInt64());

        using var mine = await SendAsync("""{"acks":[0,1,2]}""", path: "services/collector/ack", channel: channel);
        var acks = JsonDocument.Parse(await mine.Content.ReadAsStringAsync()).RootElement.GetProperty("acks");
        Assert.True(acks.GetProperty("0").GetBoolean());
        Assert.True(acks.GetProperty("1").GetBoolean());
        Assert.False(acks.GetProperty("2").GetBoolean());

        // Another key that knows (or guesses) the channel learns nothing about it.
        using var theirs = await SendAsync("""{"acks":[0,1]}""", "Splunk " + ProducerFixture.OtherKey, "services/collector/ack", channel);
        var foreign = JsonDocument.Parse(await theirs.Content.ReadAsStringAsync()).RootElement.GetProperty("acks");
        Assert.False(foreign.GetProperty("0").GetBoolean());
        Assert.False(foreign.GetProperty("1").GetBoolean());

        await HecErrorAsync(await SendAsync("""{"acks":[0]}""", path: "services/collector/ack"), HttpStatusCode.BadRequest, 10, "Data channel is missing");
        await HecErrorAsync(await SendAsync("""{"acks":[0]}""", path: "services/collector/ack", adjust: r => r.Headers.Add("X-Splunk-Request-Channel", "not-a-guid")),
            HttpStatusCode.BadRequest, 11, "Invalid data channel");
    }

    [Fact]
    public async Task Tokens_are_checked_like_api_keys_and_answered_with_hecs_codes()
    {
        const string body = """{"event":{"source":"s","title":"t","severity":"low"}}""";
        await HecErrorAsync(await SendAsync(body, authorization: null), HttpStatusCode.Unauthorized, 2, "Token is required");
        await HecErrorAsync(await SendAsync(body, authorization: null, adjust: r => r.Headers.Add("X-API-Key", TestApp.PrimaryKey)), HttpStatusCode.Unauthorized, 2, "Token is required");
        await HecErrorAsync(await SendAsync(body, "Bearer " + TestApp.PrimaryKey), HttpStatusCode.Unauthorized, 3, "Invalid authorization");
        await HecErrorAsync(await SendAsync(body, "Splunk not-a-configured-token"), HttpStatusCode.Forbidden, 4, "Invalid token");
        // The key's hash is configured, not the key: presenting the hash itself is not the key.
        await HecErrorAsync(await SendAsync(body, "Splunk " + Keys.Hash(TestApp.PrimaryKey)), HttpStatusCode.Forbidden, 4, "Invalid token");
    }

    [Fact]
    public async Task A_key_that_must_sign_its_bodies_cannot_be_used_unsigned_through_hec()
    {
        var before = await AlertRowsAsync();
        var body = $$$"""{"event":{"source":"s","title":"unsigned {{{Mark()}}}","severity":"high"}}""";
        var problem = await HecErrorAsync(await SendAsync(body, "Splunk " + TestApp.SignedKey), HttpStatusCode.Unauthorized, 3, "Invalid authorization");
        Assert.Equal("X-Signature-256", problem.GetProperty("field").GetString());

        using var signed = await SendAsync(body, "Splunk " + TestApp.SignedKey, adjust: r => r.Headers.Add("X-Signature-256", Keys.Sign(TestApp.HmacSecret, body)));
        Assert.True(signed.StatusCode == HttpStatusCode.OK, await signed.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await AlertRowsAsync());
    }

    [Fact]
    public async Task A_bad_event_refuses_the_whole_batch_naming_its_number_and_field()
    {
        var before = await AlertRowsAsync();
        var good = $$$"""{"event":{"source":"s","title":"good {{{Mark()}}}","severity":"low"}}""";

        var missing = await HecErrorAsync(await SendAsync(good + """{"host":"h","fields":{}}"""), HttpStatusCode.BadRequest, 12, "Event field is required");
        Assert.Equal(1, missing.GetProperty("invalid-event-number").GetInt32());
        var blank = await HecErrorAsync(await SendAsync(good + good + """{"event":""}"""), HttpStatusCode.BadRequest, 13, "Event field cannot be blank");
        Assert.Equal(2, blank.GetProperty("invalid-event-number").GetInt32());
        var invalid = await HecErrorAsync(await SendAsync(good + """{"event":{"source":"s","title":"t","severity":"low","src_ip":"10.0.0.999"}}"""),
            HttpStatusCode.BadRequest, 6, "Invalid data format");
        Assert.Equal(1, invalid.GetProperty("invalid-event-number").GetInt32());
        Assert.Equal("event.src_ip", invalid.GetProperty("field").GetString());
        Assert.True(invalid.GetProperty("errors").TryGetProperty("event.src_ip", out _), invalid.ToString());
        var broken = await HecErrorAsync(await SendAsync(good + """{"event":{"title":"x"""), HttpStatusCode.BadRequest, 6, "Invalid data format");
        Assert.Equal("invalid-json", broken.GetProperty("type").GetString()!.Split(':')[^1]);
        await HecErrorAsync(await SendAsync("""{"event":"just a log line, not an alert"}"""), HttpStatusCode.BadRequest, 6, "Invalid data format");
        await HecErrorAsync(await SendAsync("  \n "), HttpStatusCode.BadRequest, 5, "No data");
        await HecErrorAsync(await SendAsync("""{"event":{"source":"a","title":"b","severity":"low","rule_id":"x"}}""", "Splunk " + ProducerFixture.StrictKey),
            HttpStatusCode.BadRequest, 6, "Invalid data format");

        Assert.Equal(before, await AlertRowsAsync());
    }
}
