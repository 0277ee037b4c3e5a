using System.Net;
using System.Text;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// The producers of ingestion part 2, as their products send them, through the assembled host (every role):
/// each alert is generated for, checked by the gate and ends awaiting approval, raised by the ingest key.
/// </summary>
public sealed class When_sentinel_qradar_and_hec_producers_reach_the_assembled_host(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    private static string Mark() => Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_sentinel_playbook_webhook_ends_awaiting_approval()
    {
        var mark = Mark();
        using var response = await PostAsync("ingest/webhook", ProducerSamples.Fill(ProducerSamples.SentinelIncident, mark, "lab-target"), "application/json");
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        await AwaitingApprovalAsync($"Brute force attack against Linux host {mark}");
    }

    [Fact]
    public async Task A_qradar_offense_ends_awaiting_approval()
    {
        var mark = Mark();
        var body = ProducerSamples.Fill(ProducerSamples.QRadarOffense, mark, "lab-target", Random.Shared.NextInt64(1_000, 1_000_000_000));
        using var response = await PostAsync("ingest/qradar", body, "application/json");
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        await AwaitingApprovalAsync($"SSH brute force {mark}");
    }

    [Fact]
    public async Task A_splunk_hec_event_ends_awaiting_approval()
    {
        var mark = Mark();
        var title = $"SSH brute force from HEC {mark}";
        var body = $$$"""
            {"time":1740823200,"host":"lab-target","source":"splunk-es","sourcetype":"notable",
             "event":{"rule_id":"5712","title":"{{{title}}}","severity":"high","src_ip":"203.0.113.7","mitre_technique_id":"T1110","urgency":"high"}}
            """;
        using var http = new HttpClient { BaseAddress = pipeline.Host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "services/collector/event") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Splunk " + pipeline.IngestKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("\"text\":\"Success\",\"code\":0", text, StringComparison.Ordinal);

        await AwaitingApprovalAsync(title);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string contentType)
    {
        using var http = new HttpClient { BaseAddress = pipeline.Host.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", pipeline.IngestKey);
        return await http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
    }

    /// <summary>The incident exists under its title, reaches AwaitingApproval, was raised by the ingest key and its trail verifies.</summary>
    private async Task AwaitingApprovalAsync(string title)
    {
        var id = Guid.Parse(await PipelineFixture.WaitAsync(async () =>
        {
            await using var command = pipeline.Db.CreateCommand("SELECT incident_id::text FROM incidents WHERE title = $1");
            command.Parameters.AddWithValue(title);
            return await command.ExecuteScalarAsync() as string;
        }, $"incident '{title}'"));

        await pipeline.UnderReviewAsync(id);
        Assert.Equal(IncidentStreams.UnderReview, (await pipeline.StreamAsync(id)).Take(IncidentStreams.UnderReview.Length));
        var incident = await pipeline.IncidentAsync(id);
        // HostEnvironment hands the host its ingest key as API_KEY, whose name is "default".
        Assert.Equal("default", incident["raisedBy"]!.GetValue<string>());
        await pipeline.AssertTrailAsync(id, "AwaitingApproval");
    }
}
