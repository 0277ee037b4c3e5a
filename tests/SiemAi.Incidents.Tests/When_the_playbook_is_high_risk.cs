using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_playbook_is_high_risk
{
    private static async Task<IncidentSpec> AwaitingCab(RiskLevel risk = RiskLevel.High)
    {
        var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval(risk);
        await spec.Decide("alice");
        await spec.Decide("bob");
        return spec;
    }

    [Theory]
    [InlineData(RiskLevel.High, "high")]
    [InlineData(RiskLevel.Critical, "critical")]
    public async Task Asks_the_change_advisory_board_after_the_approvals(RiskLevel risk, string recorded)
    {
        await using var spec = await AwaitingCab(risk);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingCab), spec.CurrentState);
        Assert.True(IncidentSpec.Data(spec.Events("approval_requested")[0]).GetProperty("needs_cab").GetBoolean());
        var request = Assert.Single(spec.Published<RequestCabReview>());
        Assert.Equal(spec.PlaybookSha256, request.PlaybookSha256);
        Assert.Equal(risk, request.Risk);
        Assert.Equal(["alice", "bob"], request.Approvers);
        Assert.Equal("Block the brute-forcing source address", request.Title);
        var cab = spec.LastEvent("cab_requested");
        Assert.Equal(spec.PlaybookSha256, cab.PlaybookSha256);
        Assert.Equal(recorded, IncidentSpec.Data(cab).GetProperty("risk").GetString());
        Assert.Empty(spec.Published<RunPlaybook>());
        Assert.Equal(("AwaitingApproval", "AwaitingCab"), (spec.StatusChanges[^1].From, spec.StatusChanges[^1].To));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Does_not_ask_the_board_about_a_medium_risk_playbook()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval(RiskLevel.Medium);

        await spec.Decide("alice");

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        Assert.Empty(spec.Published<RequestCabReview>());
    }

    [Fact]
    public async Task Follows_the_configured_risk_threshold()
    {
        await using var spec = await IncidentSpec.Start(o => { o.DualControlEnabled = false; o.CabRiskThreshold = RiskLevel.Medium; });
        await spec.ReachAwaitingApproval(RiskLevel.Medium);

        await spec.Decide("alice");

        Assert.Equal(nameof(IncidentStateMachine.AwaitingCab), spec.CurrentState);
    }

    [Fact]
    public async Task Starts_the_check_run_when_the_board_approves()
    {
        await using var spec = await AwaitingCab();
        var expiryTimer = spec.State.ApprovalTimerId;

        await spec.Deliver(spec.Cab(CabDecision.Approved));

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        var decided = spec.LastEvent("cab_decided");
        Assert.Equal("cab:cab-chair", decided.Actor);
        var data = IncidentSpec.Data(decided);
        Assert.Equal("approved", data.GetProperty("decision").GetString());
        Assert.Equal("CHG0031337", data.GetProperty("change_request_id").GetString());
        var run = Assert.Single(spec.Published<RunPlaybook>());
        Assert.Equal(spec.PlaybookSha256, run.PlaybookSha256);
        Assert.Equal(["alice", "bob"], run.Approvers);
        Assert.Equal(RunMode.Check, run.Mode);
        Assert.Contains(spec.State.PendingTimers, t => t.Cancel && t.TimerId == expiryTimer);
        Assert.Equal(
            [("AwaitingCab", "Approved"), ("Approved", "CheckRunning")],
            spec.StatusChanges.TakeLast(2).Select(x => (x.From, x.To)));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Ends_the_incident_as_denied_when_the_board_rejects()
    {
        await using var spec = await AwaitingCab();

        await spec.Deliver(spec.Cab(CabDecision.Rejected));

        Assert.Equal(nameof(IncidentStateMachine.Denied), spec.CurrentState);
        Assert.Equal("rejected", IncidentSpec.Data(spec.LastEvent("cab_decided")).GetProperty("decision").GetString());
        var closed = IncidentSpec.Data(spec.LastEvent("incident_closed"));
        Assert.Equal("denied", closed.GetProperty("outcome").GetString());
        Assert.Contains("change-advisory board", closed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Rejects_a_board_decision_about_other_bytes()
    {
        await using var spec = await AwaitingCab();

        await spec.Deliver(spec.Cab(CabDecision.Approved, PlaybookHash.Of("- hosts: all\n")));

        Assert.Equal(nameof(IncidentStateMachine.AwaitingCab), spec.CurrentState);
        Assert.Contains("another playbook", IncidentSpec.Data(spec.LastEvent("decision_rejected")).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Rejects_approver_decisions_while_the_board_decides()
    {
        await using var spec = await AwaitingCab();

        await spec.Decide("carol");
        await spec.Decide("carol", ApprovalDecision.Deny);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingCab), spec.CurrentState);
        Assert.Equal(2, spec.Events("decision_rejected").Count);
        Assert.Equal("waiting for the change-advisory board", IncidentSpec.Data(spec.LastEvent("decision_rejected")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Expires_when_the_board_does_not_decide_before_the_deadline()
    {
        await using var spec = await AwaitingCab();

        await spec.FireTimer(TimerKinds.ApprovalExpiry);

        Assert.Equal(nameof(IncidentStateMachine.Expired), spec.CurrentState);
        Assert.Single(spec.Events("approval_expired"));
    }

    [Fact]
    public async Task Records_a_board_decision_that_comes_before_the_approvals_as_unexpected()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval(RiskLevel.High);

        await spec.Deliver(spec.Cab(CabDecision.Approved));

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Null(spec.State.CabDecision);
        Assert.Empty(spec.Events("cab_decided"));
        Assert.Single(spec.Events("unexpected_message_ignored"));
        spec.AssertNoFaults();
    }
}
