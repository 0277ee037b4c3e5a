using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SiemAi.Ingestion.Tests.Support;

namespace SiemAi.Ingestion.Tests;

public sealed class When_a_webhook_request_is_rejected(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Valid = """{"source":"ids","title":"Beacon","severity":"low","host":"lab-1"}""";

    private TestApp App => fixture.App;

    [Fact]
    public async Task Answers_401_naming_the_header_when_the_key_is_missing()
    {
        var response = await App.PostAsync("/ingest/webhook", Valid, key: null);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
    }

    [Fact]
    public async Task Answers_401_for_an_unknown_key()
    {
        var response = await App.PostAsync("/ingest/webhook", Valid, key: "not-a-key");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
    }

    [Fact]
    public async Task Answers_415_for_a_content_type_the_format_does_not_take()
    {
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", Valid, "application/xml"), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", Valid, "text/plain"), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/cef", "CEF:0|a|b|1|2|n|5|", "application/json"), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", Valid, "application/json; charset=iso-8859-1"), HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Fact]
    public async Task Answers_413_for_a_body_over_the_cap_whether_announced_or_streamed()
    {
        var big = "{\"source\":\"x\",\"title\":\"" + new string('a', 70_000) + "\",\"severity\":\"low\"}";
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", big), HttpStatusCode.RequestEntityTooLarge, "body");

        // Chunked: no Content-Length, the cap is enforced while reading.
        var request = App.Request("/ingest/generic", "");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        await ProblemAssert.IsProblemAsync(await App.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task Answers_413_for_thousands_of_keys_before_building_a_document()
    {
        var keys = string.Join(',', Enumerable.Range(0, 5000).Select(i => $"\"k{i}\":1"));
        var response = await App.PostAsync("/ingest/webhook", "{\"fields\":{" + keys + "}}");
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Contains("1000 properties", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_422_for_json_nested_deeper_than_the_limit()
    {
        var deep = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", deep), HttpStatusCode.UnprocessableEntity, "a");
    }

    [Fact]
    public async Task Answers_400_for_broken_json_and_empty_bodies()
    {
        var broken = await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", "{\"source\": \"x\",,}"), HttpStatusCode.BadRequest, "body");
        Assert.Contains("line 1", broken.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", ""), HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Answers_422_when_the_format_cannot_be_detected_and_404_for_an_unknown_format()
    {
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", """{"hello":"world"}"""), HttpStatusCode.UnprocessableEntity, "format");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/webhook", "just some text", "text/plain"), HttpStatusCode.UnprocessableEntity, "format");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/leef", Valid), HttpStatusCode.NotFound, "format");
    }

    [Fact]
    public async Task Answers_422_naming_each_invalid_field()
    {
        var body = """{"source":"ids","title":"x","severity":"low","host":"web 01; rm -rf /","sourceIp":"10.0.0.999","mitreTechniques":["Brute force"]}""";
        // Named as the producer sent them: the body's "host" is the alert's asset.
        var problem = await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", body), HttpStatusCode.UnprocessableEntity, "host");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Count() >= 3, problem.ToString());
        Assert.True(errors.TryGetProperty("host", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("sourceIp", out _));
        Assert.True(errors.TryGetProperty("mitreTechniques[0]", out _), problem.ToString());
    }

    [Fact]
    public async Task Answers_422_for_payload_errors_with_the_producer_field_path()
    {
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", """{"source":"a","title":"b","severity":"low","hostGroups":5}"""), HttpStatusCode.UnprocessableEntity, "hostGroups");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/generic", """{"source":"a","title":"b","severity":"purple"}"""), HttpStatusCode.UnprocessableEntity, "severity");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/wazuh", """{"rule":{"level":99,"description":"x"},"agent":{"name":"a"}}"""), HttpStatusCode.UnprocessableEntity, "rule.level");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/alertmanager", """{"version":"4","alerts":[{"labels":{}}]}"""), HttpStatusCode.UnprocessableEntity, "alerts[0].labels.alertname");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/cef", "CEF:0|Vendor|Product|1.0|100|Name", "text/plain"), HttpStatusCode.UnprocessableEntity, "lines[0].cef.name");
        await ProblemAssert.IsProblemAsync(await App.PostAsync("/ingest/cef", "CEF:0|Vendor|Product|1.0|100|Name|11|src=1.2.3.4", "text/plain"), HttpStatusCode.UnprocessableEntity, "lines[0].cef.severity");
    }

    [Fact]
    public async Task Accepts_a_correct_hmac_signature_and_rejects_a_missing_or_wrong_one()
    {
        var unsigned = await App.PostAsync("/ingest/generic", Valid, key: TestApp.SignedKey);
        await ProblemAssert.IsProblemAsync(unsigned, HttpStatusCode.Unauthorized, "X-Signature-256");

        var wrong = App.Request("/ingest/generic", Valid, key: TestApp.SignedKey);
        wrong.Headers.Add("X-Signature-256", Keys.Sign("another-secret", Valid));
        await ProblemAssert.IsProblemAsync(await App.Http.SendAsync(wrong), HttpStatusCode.Unauthorized, "X-Signature-256");

        var tampered = App.Request("/ingest/generic", Valid.Replace("lab-1", "lab-2", StringComparison.Ordinal), key: TestApp.SignedKey);
        tampered.Headers.Add("X-Signature-256", Keys.Sign(TestApp.HmacSecret, Valid));
        await ProblemAssert.IsProblemAsync(await App.Http.SendAsync(tampered), HttpStatusCode.Unauthorized, "X-Signature-256");

        var good = App.Request("/ingest/generic", Valid, key: TestApp.SignedKey);
        good.Headers.Add("X-Signature-256", Keys.Sign(TestApp.HmacSecret, Valid));
        var response = await App.Http.SendAsync(good);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
