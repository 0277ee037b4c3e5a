using System.Text.Json.Nodes;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// A playbook that passes the gate and both approvals but fails on the lab in check mode (it requires a file
/// that is not there): the incident ends CheckFailed with the failing host in its check run.
/// </summary>
[Collection(StandInCollection.Name)]
public sealed class When_the_check_run_fails(StandInPipelineFixture pipeline)
{
    [Fact]
    public async Task The_incident_ends_check_failed_with_the_failing_host_recorded()
    {
        Assert.False(File.Exists(ModelStandIn.MissingFile));
        var id = await pipeline.RaiseOnLabAsync($"dropper on lab {ModelStandIn.FailsInCheck} {Guid.NewGuid():N}");
        var sha = await pipeline.UnderReviewAsync(id);

        await pipeline.ApproveAsync(id, sha, "alice", "bob");
        await pipeline.ReachesAsync(id, "CheckFailed", "CheckSucceeded", "Failed");

        var run = (await pipeline.IncidentAsync(id))["checkRun"]!.AsObject();
        Assert.False((bool?)run["succeeded"]);
        var host = Assert.Single(run["hosts"]!.AsArray().OfType<JsonObject>());
        Assert.Equal("lab-target", (string?)host["host"]);
        Assert.Equal(1, (int?)host["failed"]);
        Assert.Equal(1, (int?)host["ok"]);
        Assert.Equal(
            [.. IncidentStreams.UnderReview, "playbook_approved", "playbook_approved", .. IncidentStreams.Checked],
            await pipeline.StreamAsync(id));
        Assert.Contains("\"outcome\": \"check_failed\"", await pipeline.LastEventDataAsync(id), StringComparison.Ordinal);

        await pipeline.AssertTrailAsync(id, "CheckFailed");
    }
}
