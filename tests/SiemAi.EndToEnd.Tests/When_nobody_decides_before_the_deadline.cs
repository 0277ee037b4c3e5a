using System.Net;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>A low-severity incident nobody decides on expires at its (here, short) deadline, once.</summary>
[Collection(StandInCollection.Name)]
public sealed class When_nobody_decides_before_the_deadline(StandInPipelineFixture pipeline)
{
    [Fact]
    public async Task The_incident_expires_once_and_refuses_approvals_afterwards()
    {
        var id = await pipeline.RaiseOnLabAsync($"port scan from the guest network {Guid.NewGuid():N}", severity: "low");

        await pipeline.ReachesAsync(id, "Expired", "Blocked", "Failed");
        var incident = await pipeline.IncidentAsync(id);
        Assert.Equal("Expired", (string?)incident["status"]);
        Assert.NotNull(incident["deadline"]);

        // Nothing for the saga is left in flight (the expiry timer fired into an empty queue) before counting.
        await PipelineFixture.WaitAsync(async () => await pipeline.VirtualHost.QueueDepthAsync("incident-saga") == 0 ? "drained" : null, "the saga's queue drained");
        Assert.Equal(
            [.. IncidentStreams.UnderReview, "approval_expired", "incident_closed"],
            await pipeline.StreamAsync(id));

        var sha = await pipeline.PlaybookShaAsync(id);
        using var late = await pipeline.DecideAsync("alice", id, "approve", sha);
        await ProblemResponse.AssertAsync(late, HttpStatusCode.Conflict, "Not awaiting this decision");

        await pipeline.AssertTrailAsync(id, "Expired");
    }
}
