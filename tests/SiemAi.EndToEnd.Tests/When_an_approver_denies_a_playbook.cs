using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>One approver denies with a comment: the incident ends there, with the comment on record.</summary>
[Collection(StandInCollection.Name)]
public sealed class When_an_approver_denies_a_playbook(StandInPipelineFixture pipeline)
{
    [Fact]
    public async Task The_incident_ends_denied_and_a_later_approval_is_refused()
    {
        var id = await pipeline.RaiseOnLabAsync($"suspicious login on lab {Guid.NewGuid():N}");
        var sha = await pipeline.UnderReviewAsync(id);

        using (var denied = await pipeline.DecideAsync("alice", id, "deny", sha, "the login was the night shift, not an attacker"))
        {
            Assert.Equal(HttpStatusCode.Accepted, denied.StatusCode);
        }

        await pipeline.ReachesAsync(id, "Denied");
        Assert.Equal("Denied", (string?)(await pipeline.IncidentAsync(id))["status"]);
        Assert.Equal(
            [.. IncidentStreams.UnderReview, "approval_denied", "incident_closed"],
            await pipeline.StreamAsync(id));
        using var dave = pipeline.Api("dave");
        var events = (await dave.GetFromJsonAsync<JsonArray>($"api/incidents/{id}/events"))!;
        var denial = events.Single(e => (string?)e!["type"] == "approval_denied")!;
        Assert.Equal("alice", (string?)denial["data"]!["approver"]);
        Assert.Equal("the login was the night shift, not an attacker", (string?)denial["data"]!["comment"]);
        Assert.Equal("approver:alice", (string?)denial["metadata"]!["actor"]);

        using var late = await pipeline.DecideAsync("bob", id, "approve", sha);
        await ProblemResponse.AssertAsync(late, HttpStatusCode.Conflict, "Not awaiting this decision");

        await pipeline.AssertTrailAsync(id, "Denied");
    }
}
