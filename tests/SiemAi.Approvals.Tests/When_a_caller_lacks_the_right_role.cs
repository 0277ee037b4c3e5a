using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SiemAi.Approvals.Tests;

[Collection(ApprovalsCollection.Name)]
public sealed class When_a_caller_lacks_the_right_role(ApprovalsFixture fixture)
{
    private static readonly string AnyHash = new('a', 64);

    [Fact]
    public async Task Answers_401_with_problem_details_without_a_key()
    {
        using var anonymous = fixture.Client();
        using var response = await anonymous.GetAsync("api/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ApprovalsFixture.ProblemAsync(response);
        Assert.Equal(401, (int)problem["status"]!);
    }

    [Fact]
    public async Task Answers_401_for_an_unknown_key_and_a_forged_bearer_token()
    {
        using var stranger = fixture.Client();
        stranger.DefaultRequestHeaders.Add("X-API-Key", "not-a-key-we-issued");
        using var byKey = await stranger.GetAsync("api/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, byKey.StatusCode);
        await ApprovalsFixture.ProblemAsync(byKey);

        using var bearer = fixture.Client();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZSI6ImFwcHJvdmVyIn0.c2lnbmF0dXJl");
        using var byToken = await bearer.GetAsync("api/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, byToken.StatusCode);
        await ApprovalsFixture.ProblemAsync(byToken);
    }

    [Fact]
    public async Task Answers_403_when_an_auditor_tries_to_approve()
    {
        using var auditor = fixture.Client("dave");
        using var response = await auditor.PostAsJsonAsync($"api/incidents/{Guid.NewGuid()}/decisions", new { decision = "approve", playbookSha256 = AnyHash });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await ApprovalsFixture.ProblemAsync(response);
        Assert.Equal(403, (int)problem["status"]!);
    }

    [Fact]
    public async Task Answers_403_when_an_approver_records_a_cab_decision()
    {
        using var approver = fixture.Client("alice");
        using var response = await approver.PostAsJsonAsync($"api/incidents/{Guid.NewGuid()}/cab", new { decision = "approved", playbookSha256 = AnyHash });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await ApprovalsFixture.ProblemAsync(response);
    }

    [Fact]
    public async Task Lets_an_auditor_read_the_queue_the_incident_and_its_audit_stream()
    {
        var (id, sha) = await fixture.NewIncidentAsync("auditor reads");
        using var auditor = fixture.Client("dave");

        using var list = await auditor.GetAsync("api/incidents?status=AwaitingApproval&severity=high&pageSize=500");
        Assert.True(list.IsSuccessStatusCode, $"{list.StatusCode}: {fixture.Host.Tail(20)}");
        var page = await list.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains(page!["items"]!.AsArray(), i => (string?)i!["id"] == id.ToString());

        var incident = await auditor.GetFromJsonAsync<JsonObject>($"api/incidents/{id}");
        Assert.Equal("AwaitingApproval", (string?)incident!["status"]);
        Assert.Equal(sha, (string?)incident["playbook"]!["sha256"]);
        Assert.Equal("lab", (string?)incident["raisedBy"]);

        using var playbook = await auditor.GetAsync($"api/incidents/{id}/playbook");
        var bytes = await playbook.Content.ReadAsByteArrayAsync();
        Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));

        var events = await auditor.GetFromJsonAsync<JsonArray>($"api/incidents/{id}/events");
        var types = events!.Select(e => (string?)e!["type"]).ToList();
        Assert.Equal("alert_received", types[0]);
        Assert.Contains("playbook_verified", types);
    }

    [Fact]
    public async Task Serves_the_openapi_document_and_anonymous_health()
    {
        using var auditor = fixture.Client("dave");
        var document = await auditor.GetFromJsonAsync<JsonObject>("api/openapi/approvals.json");
        Assert.True(document!["paths"]!.AsObject().ContainsKey("/api/incidents/{id}/decisions"));

        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var health = await anonymous.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
