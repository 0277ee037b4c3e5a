using System.Net;
using System.Text.Json.Nodes;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// A high-risk playbook (it locks an account) needs the CAB after two approvals: the host POSTs a change request
/// to the ServiceNow stand-in, and the CAB's signed callback decides whether the check run happens.
/// </summary>
[Collection(StandInCollection.Name)]
public sealed class When_a_high_risk_playbook_goes_to_the_change_advisory_board(StandInPipelineFixture pipeline)
{
    [Fact]
    public async Task An_approved_change_goes_on_to_the_check_run_without_changing_the_lab()
    {
        var (id, sha) = await AwaitingCabAsync("approved");

        using (var callback = await pipeline.CabCallbackAsync(id, $"CHG-{id:N}", "approved", sha, "go ahead in the maintenance window"))
        {
            Assert.Equal(HttpStatusCode.Accepted, callback.StatusCode);
        }

        await pipeline.ReachesAsync(id, "CheckSucceeded", "CheckFailed", "Failed", "Denied");
        Assert.Equal(
            [.. IncidentStreams.UnderReview, "playbook_approved", "playbook_approved", "cab_requested", "cab_decided", .. IncidentStreams.Checked],
            await pipeline.StreamAsync(id));
        var host = Assert.Single((await pipeline.IncidentAsync(id))["checkRun"]!["hosts"]!.AsArray().OfType<JsonObject>());
        Assert.Equal("lab-target", (string?)host["host"]);
        Assert.Equal(1, (int?)host["changed"]);
        Assert.Equal(0, (int?)host["failed"]);
        Assert.DoesNotContain($"{ModelStandIn.Account}:", await File.ReadAllTextAsync("/etc/passwd"), StringComparison.Ordinal);

        await pipeline.AssertTrailAsync(id, "CheckSucceeded");
    }

    [Fact]
    public async Task A_rejected_change_ends_the_incident_denied_without_a_run()
    {
        var (id, sha) = await AwaitingCabAsync("rejected");

        using (var callback = await pipeline.CabCallbackAsync(id, $"CHG-{id:N}", "rejected", sha, "not during the quarter close"))
        {
            Assert.Equal(HttpStatusCode.Accepted, callback.StatusCode);
        }

        await pipeline.ReachesAsync(id, "Denied", "CheckRunning", "CheckSucceeded");
        Assert.Equal("Denied", (string?)(await pipeline.IncidentAsync(id))["status"]);
        Assert.Equal(
            [.. IncidentStreams.UnderReview, "playbook_approved", "playbook_approved", "cab_requested", "cab_decided", "incident_closed"],
            await pipeline.StreamAsync(id));

        await pipeline.AssertTrailAsync(id, "Denied");
    }

    private async Task<(Guid Id, string Sha)> AwaitingCabAsync(string label)
    {
        var id = await pipeline.RaiseOnLabAsync($"compromised account {ModelStandIn.HighRisk} {label} {Guid.NewGuid():N}");
        var sha = await pipeline.UnderReviewAsync(id);
        var incident = await pipeline.IncidentAsync(id);
        Assert.Equal("high", (string?)incident["risk"]);
        Assert.True((bool?)incident["needsCab"]);

        await pipeline.ApproveAsync(id, sha, "alice", "bob");
        await pipeline.ReachesAsync(id, "AwaitingCab", "CheckRunning", "CheckSucceeded");
        var change = await PipelineFixture.WaitAsync(
            () => Task.FromResult(pipeline.Cab.ChangeRequests.FirstOrDefault(c => (string?)c["correlation_id"] == id.ToString("D"))),
            "the change request at the CAB");
        Assert.Equal(sha, (string?)change["u_playbook_sha256"]);
        Assert.Equal("high", (string?)change["risk"]);
        Assert.Equal(["alice", "bob"], change["u_approvers"]!.AsArray().Select(a => (string?)a).Order());
        return (id, sha);
    }
}
