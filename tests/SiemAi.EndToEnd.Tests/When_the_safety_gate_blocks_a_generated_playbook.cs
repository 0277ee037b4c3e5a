using System.Net;
using System.Text.Json.Nodes;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>The model writes a playbook that deletes evidence; the gate blocks it and nobody can approve it.</summary>
[Collection(StandInCollection.Name)]
public sealed class When_the_safety_gate_blocks_a_generated_playbook(StandInPipelineFixture pipeline)
{
    [Fact]
    public async Task The_incident_ends_blocked_and_an_approval_is_refused()
    {
        var title = $"intruder on lab {ModelStandIn.Dangerous} {Guid.NewGuid():N}";
        var id = await pipeline.RaiseOnLabAsync(title);

        await pipeline.ReachesAsync(id, "Blocked", "AwaitingApproval", "Failed");
        var incident = await pipeline.IncidentAsync(id);
        Assert.Equal("Blocked", (string?)incident["status"]);
        Assert.Equal("llm", (string?)incident["playbook"]!["provenance"]!["generator"]);
        Assert.Contains(incident["findings"]!.AsArray().OfType<JsonObject>(), f => (string?)f["rule"] == "destructive-path");
        Assert.Equal(["alert_received", "playbook_generated", "playbook_rejected", "incident_closed"], await pipeline.StreamAsync(id));

        var sha = await pipeline.PlaybookShaAsync(id);
        using var approval = await pipeline.DecideAsync("alice", id, "approve", sha);
        await ProblemResponse.AssertAsync(approval, HttpStatusCode.Conflict, "Not awaiting this decision");

        await pipeline.AssertTrailAsync(id, "Blocked");
        Assert.DoesNotContain("playbook_approved", await pipeline.StreamAsync(id));
    }
}
