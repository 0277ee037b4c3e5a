using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// An approver asks the model for another playbook: the new one is generated and verified, the old hash no
/// longer counts, the person who asked may not approve it, and two others approve it into a check run.
/// </summary>
[Collection(StandInCollection.Name)]
public sealed class When_an_approver_asks_for_a_new_playbook(StandInPipelineFixture pipeline)
{
    [Fact]
    public async Task The_new_playbook_is_checked_after_two_other_approvers_approve_it()
    {
        var id = await pipeline.RaiseOnLabAsync($"unknown binary on lab {Guid.NewGuid():N}");
        var first = await pipeline.UnderReviewAsync(id);

        using (var regenerate = await pipeline.DecideAsync("carol", id, "regenerate", first, "record the triage again, with the new revision"))
        {
            Assert.Equal(HttpStatusCode.Accepted, regenerate.StatusCode);
        }

        await PipelineFixture.WaitAsync(async () => (await pipeline.StreamAsync(id)).Count(t => t == "approval_requested") == 2 ? "yes" : null, "the second playbook under review");
        await pipeline.ReachesAsync(id, "AwaitingApproval");
        var second = await pipeline.PlaybookShaAsync(id);
        Assert.NotEqual(first, second);
        var incident = await pipeline.IncidentAsync(id);
        Assert.Contains("revision 2", (string?)incident["playbook"]!["yaml"], StringComparison.Ordinal);
        Assert.Equal(["carol"], incident["editors"]!.AsArray().Select(e => (string?)e));

        using (var stale = await pipeline.DecideAsync("alice", id, "approve", first))
        {
            await ProblemResponse.AssertAsync(stale, HttpStatusCode.Conflict, "Playbook hash mismatch");
        }

        using (var editor = await pipeline.DecideAsync("carol", id, "approve", second))
        {
            await ProblemResponse.AssertAsync(editor, HttpStatusCode.Conflict, "Editor approval");
        }

        await pipeline.ApproveAsync(id, second, "alice", "bob");
        await pipeline.ReachesAsync(id, "CheckSucceeded", "CheckFailed", "Failed");
        Assert.Equal(
            [
                .. IncidentStreams.UnderReview, "regeneration_requested", "playbook_generated", "playbook_verified", "approval_requested",
                "playbook_approved", "playbook_approved", .. IncidentStreams.Checked,
            ],
            await pipeline.StreamAsync(id));
        using var dave = pipeline.Api("dave");
        var events = (await dave.GetFromJsonAsync<JsonArray>($"api/incidents/{id}/events"))!;
        Assert.Equal("approver:carol", (string?)events.Single(e => (string?)e!["type"] == "regeneration_requested")!["metadata"]!["actor"]);
        Assert.Equal(["alice", "bob"], events.Where(e => (string?)e!["type"] == "playbook_approved").Select(e => (string?)e!["data"]!["approver"]));

        var replay = await pipeline.AssertTrailAsync(id, "CheckSucceeded");
        Assert.Equal(second, (string?)replay["playbook_sha256"]);
    }
}
