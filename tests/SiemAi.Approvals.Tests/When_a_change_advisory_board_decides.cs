using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiemAi.Contracts;

namespace SiemAi.Approvals.Tests;

[Collection(ApprovalsCollection.Name)]
public sealed class When_a_change_advisory_board_decides(ApprovalsFixture fixture)
{
    private async Task<(Guid Id, string Sha, JsonObject ChangeRequest)> AwaitingCabAsync(string label)
    {
        var (id, sha) = await fixture.NewIncidentAsync(label);
        foreach (var approver in new[] { "alice", "bob" })
        {
            using var client = fixture.Client(approver);
            using var response = await client.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await fixture.WaitAsync(async () => await fixture.CountEventsAsync(id, "playbook_approved", approver) == 1 ? "yes" : null, $"{approver}'s approval");
        }

        await fixture.WaitForStatusAsync(id, "AwaitingCab");
        var changeRequest = await fixture.WaitAsync(() => Task.FromResult(fixture.Cab.ChangeRequests.FirstOrDefault(c => (string?)c["correlation_id"] == id.ToString("D"))), "the change request");
        return (id, sha, changeRequest);
    }

    private async Task<HttpResponseMessage> CallbackAsync(object body, string? secret = ApprovalsFixture.CabSecret)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/cab/callback") { Content = content };
        request.Headers.Add("X-SiemAi-Signature", BodySignature.Sign(secret ?? "wrong", bytes));
        using var anonymous = fixture.Client();
        return await anonymous.SendAsync(request);
    }

    [Fact]
    public async Task Sends_a_change_request_and_proceeds_when_the_signed_callback_approves()
    {
        var (id, sha, changeRequest) = await AwaitingCabAsync("cab happy path");
        Assert.Equal(sha, (string?)changeRequest["u_playbook_sha256"]);
        using var auditor = fixture.Client("dave");
        var incident = await auditor.GetFromJsonAsync<JsonObject>($"api/incidents/{id}");
        Assert.Equal((string?)incident!["risk"], (string?)changeRequest["risk"]);
        Assert.StartsWith("SiemAi remediation: ", (string?)changeRequest["short_description"], StringComparison.Ordinal);
        Assert.EndsWith($"/api/cab/callback", (string?)changeRequest["u_links"]!["callback"], StringComparison.Ordinal);
        Assert.Equal(["alice", "bob"], changeRequest["u_approvers"]!.AsArray().Select(a => (string)a!).Order());

        using var response = await CallbackAsync(new { change_request_id = "CHG0000001", correlation_id = id, state = "approved", decided_by = "cab-chair", playbook_sha256 = sha });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotEqual("AwaitingCab", await fixture.WaitForStatusAsync(id, "Approved", "CheckRunning"));
        var events = await auditor.GetFromJsonAsync<JsonArray>($"api/incidents/{id}/events");
        var decided = events!.Single(e => (string?)e!["type"] == "cab_decided")!;
        Assert.Equal("CHG0000001", (string?)decided["data"]!["change_request_id"]);
        Assert.Equal("cab:cab-chair", (string?)decided["metadata"]!["actor"]);
    }

    [Fact]
    public async Task Rejects_a_callback_with_a_bad_signature()
    {
        var (id, sha, _) = await AwaitingCabAsync("cab bad signature");
        using var response = await CallbackAsync(new { change_request_id = "CHG0000002", correlation_id = id, state = "approved", decided_by = "mallory", playbook_sha256 = sha }, secret: "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bad signature", (string?)(await ApprovalsFixture.ProblemAsync(response))["title"]);

        using var unsigned = fixture.Client();
        using var noHeader = await unsigned.PostAsJsonAsync("api/cab/callback", new { change_request_id = "CHG0000002", correlation_id = id, state = "approved" });
        Assert.Equal(HttpStatusCode.Unauthorized, noHeader.StatusCode);
        Assert.Equal("AwaitingCab", await fixture.StatusAsync(id));
        Assert.Equal(0, await fixture.CountEventsAsync(id, "cab_decided"));
    }

    [Fact]
    public async Task Records_a_repeated_callback_once()
    {
        var (id, sha, _) = await AwaitingCabAsync("cab duplicate");
        var body = new { change_request_id = "CHG0000003", correlation_id = id, state = "rejected", decided_by = "cab-chair", comment = "not this week", playbook_sha256 = sha };
        using var first = await CallbackAsync(body);
        using var second = await CallbackAsync(body);
        Assert.True(first.IsSuccessStatusCode && second.IsSuccessStatusCode, $"{first.StatusCode} / {second.StatusCode}");
        Assert.Equal("Denied", await fixture.WaitForStatusAsync(id, "Denied"));

        using var third = await CallbackAsync(body);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.True((bool)(await third.Content.ReadFromJsonAsync<JsonObject>())!["duplicate"]!);
        await fixture.WaitAsync(async () => await fixture.VirtualHost.QueueDepthAsync("incident-saga") == 0 ? "drained" : null, "saga queue drained");
        Assert.Equal(1, await fixture.CountEventsAsync(id, "cab_decided"));
        Assert.Equal(0, await fixture.CountEventsAsync(id, "unexpected_message_ignored"));
    }

    [Fact]
    public async Task Lets_a_cab_member_decide_through_the_api()
    {
        var (id, sha, _) = await AwaitingCabAsync("cab via api");
        using var carol = fixture.Client("carol");
        using var response = await carol.PostAsJsonAsync($"api/incidents/{id}/cab", new { decision = "approved", comment = "go", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await fixture.WaitForStatusAsync(id, "Approved", "CheckRunning");
        using var auditor = fixture.Client("dave");
        var events = await auditor.GetFromJsonAsync<JsonArray>($"api/incidents/{id}/events");
        Assert.Equal("cab:carol", (string?)events!.Single(e => (string?)e!["type"] == "cab_decided")!["metadata"]!["actor"]);
    }
}
