using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_an_approver_denies
{
    [Fact]
    public async Task Ends_the_incident_as_denied()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var expiryTimer = spec.State.ApprovalTimerId;

        await spec.Decide("carol", ApprovalDecision.Deny, comment: "would cut off the load balancer");

        Assert.Equal(nameof(IncidentStateMachine.Denied), spec.CurrentState);
        var denied = spec.LastEvent("approval_denied");
        Assert.Equal("approver:carol", denied.Actor);
        Assert.Equal(spec.PlaybookSha256, denied.PlaybookSha256);
        Assert.Equal("would cut off the load balancer", IncidentSpec.Data(denied).GetProperty("comment").GetString());
        Assert.Equal("denied", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("outcome").GetString());
        Assert.Equal(["approval_denied", "incident_closed"], spec.EventTypes.TakeLast(2));
        Assert.Contains(spec.State.PendingTimers, t => t.Cancel && t.TimerId == expiryTimer);
        var last = spec.StatusChanges[^1];
        Assert.Equal(("AwaitingApproval", "Denied"), (last.From, last.To));
        Assert.Equal("denied by carol", last.Reason);
        Assert.Empty(spec.Published<RunPlaybook>());
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Denies_even_after_a_first_approval_under_dual_control()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        await spec.Decide("alice");

        await spec.Decide("bob", ApprovalDecision.Deny);

        Assert.Equal(nameof(IncidentStateMachine.Denied), spec.CurrentState);
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Lets_an_approver_deny_what_they_had_approved()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        await spec.Decide("alice");

        await spec.Decide("alice", ApprovalDecision.Deny, comment: "changed my mind");

        Assert.Equal(nameof(IncidentStateMachine.Denied), spec.CurrentState);
    }
}
