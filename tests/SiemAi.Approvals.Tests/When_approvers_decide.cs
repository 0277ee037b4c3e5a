using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SiemAi.Approvals.Tests;

[Collection(ApprovalsCollection.Name)]
public sealed class When_approvers_decide(ApprovalsFixture fixture)
{
    [Fact]
    public async Task Rejects_a_second_approval_by_the_same_person_and_moves_on_after_a_distinct_second_approver()
    {
        var (id, sha) = await fixture.NewIncidentAsync("dual control");
        using var alice = fixture.Client("alice");
        using var bob = fixture.Client("bob");

        using var first = await alice.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", comment = "looks right", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.NotNull((await first.Content.ReadFromJsonAsync<JsonObject>())!["decisionId"]);
        await fixture.WaitAsync(async () => await fixture.CountEventsAsync(id, "playbook_approved", "alice") == 1 ? "yes" : null, "alice's approval");
        Assert.Equal("AwaitingApproval", await fixture.StatusAsync(id));

        using var again = await alice.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Already approved", (string?)(await ApprovalsFixture.ProblemAsync(again))["title"]);

        using var second = await bob.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("AwaitingCab", await fixture.WaitForStatusAsync(id, "AwaitingCab", "Approved", "CheckRunning"));
        Assert.Equal(2, await fixture.CountEventsAsync(id, "playbook_approved"));
    }

    [Fact]
    public async Task Refuses_an_approval_by_the_principal_who_raised_the_alert()
    {
        var (id, sha) = await fixture.NewIncidentAsync("self approval");
        using var raiser = fixture.Client("lab");
        using var response = await raiser.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Self-approval", (string?)(await ApprovalsFixture.ProblemAsync(response))["title"]);
        Assert.Equal(0, await fixture.CountEventsAsync(id, "playbook_approved"));
    }

    [Fact]
    public async Task Refuses_a_decision_on_a_playbook_other_than_the_one_under_review()
    {
        var (id, sha) = await fixture.NewIncidentAsync("hash mismatch");
        var other = sha[..^1] + (sha[^1] == '0' ? '1' : '0');
        using var alice = fixture.Client("alice");
        using var response = await alice.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = other });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Playbook hash mismatch", (string?)(await ApprovalsFixture.ProblemAsync(response))["title"]);
        Assert.Equal("AwaitingApproval", await fixture.StatusAsync(id));
    }

    [Fact]
    public async Task Denies_the_incident_when_an_approver_denies()
    {
        var (id, sha) = await fixture.NewIncidentAsync("deny");
        using var bob = fixture.Client("bob");
        using var response = await bob.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "deny", comment = "wrong host", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Denied", await fixture.WaitForStatusAsync(id, "Denied"));
        var events = await bob.GetFromJsonAsync<JsonArray>($"api/incidents/{id}/events");
        var denied = events!.Single(e => (string?)e!["type"] == "approval_denied")!;
        Assert.Equal("approver:bob", (string?)denied["metadata"]!["actor"]);
        Assert.Equal("wrong host", (string?)denied["data"]!["comment"]);

        using var late = await bob.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task Records_one_approval_for_a_thousand_concurrent_identical_calls()
    {
        var (id, sha) = await fixture.NewIncidentAsync("thousand calls");
        using var alice = fixture.Client("alice");
        var calls = Enumerable.Range(0, 1000).Select(async _ =>
        {
            using var response = await alice.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(calls);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"unexpected {s}"));
        Assert.Contains(HttpStatusCode.Accepted, statuses);

        // Bob's approval is queued behind every accepted copy of Alice's; once it is recorded they have all been handled.
        using var bob = fixture.Client("bob");
        using var second = await bob.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await fixture.WaitForStatusAsync(id, "AwaitingCab");
        await fixture.WaitAsync(async () => await fixture.VirtualHost.QueueDepthAsync("incident-saga") == 0 ? "drained" : null, "saga queue drained");

        Assert.Equal(1, await fixture.CountEventsAsync(id, "playbook_approved", "alice"));
        Assert.Equal(0, await fixture.CountEventsAsync(id, "decision_rejected", "alice"));
    }

    [Fact]
    public async Task Expires_an_incident_nobody_approved_in_time_and_refuses_late_approvals()
    {
        var (id, sha) = await fixture.NewIncidentAsync("expiry", severity: "low", awaiting: "AwaitingApproval");
        Assert.Equal("Expired", await fixture.WaitForStatusAsync(id, "Expired"));
        Assert.Equal(1, await fixture.CountEventsAsync(id, "approval_expired"));

        using var alice = fixture.Client("alice");
        using var late = await alice.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("Expired", (string?)(await ApprovalsFixture.ProblemAsync(late))["detail"], StringComparison.Ordinal);
    }
}
