using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_dual_control_is_on
{
    [Fact]
    public async Task Keeps_waiting_after_the_first_approval()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();

        await spec.Decide("alice", comment: "looks right");

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        var approved = spec.LastEvent("playbook_approved");
        Assert.Equal("approver:alice", approved.Actor);
        Assert.Equal(spec.PlaybookSha256, approved.PlaybookSha256);
        var data = IncidentSpec.Data(approved);
        Assert.Equal("alice", data.GetProperty("approver").GetString());
        Assert.Equal("looks right", data.GetProperty("comment").GetString());
        Assert.Equal(1, data.GetProperty("approvals").GetInt32());
        Assert.Equal(2, data.GetProperty("required").GetInt32());
        Assert.False(data.GetProperty("complete").GetBoolean());
        Assert.False(data.GetProperty("for_apply").GetBoolean());
        Assert.Empty(spec.Published<RunPlaybook>());
        Assert.Single(spec.LiveTimers(TimerKinds.ApprovalExpiry));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("ALICE")]
    public async Task Rejects_a_second_approval_by_the_same_person(string second)
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        await spec.Decide("alice");

        await spec.Decide(second);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Single(spec.Events("playbook_approved"));
        var rejected = spec.LastEvent("decision_rejected");
        Assert.Equal($"approver:{second}", rejected.Actor);
        Assert.Contains("already approved", IncidentSpec.Data(rejected).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Single(spec.State.Approvals);
        Assert.Empty(spec.Published<RunPlaybook>());
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Starts_the_check_run_of_the_approved_bytes_after_a_second_distinct_approver()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        var expiryTimer = spec.State.ApprovalTimerId;
        await spec.Decide("alice");

        await spec.Decide("bob");

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        var run = Assert.Single(spec.Published<RunPlaybook>());
        Assert.Equal(RunMode.Check, run.Mode);
        Assert.Equal(spec.PlaybookSha256, run.PlaybookSha256);
        Assert.Equal(spec.PlaybookYaml, run.PlaybookYaml);
        Assert.Equal(PlaybookHash.Of(run.PlaybookYaml), run.PlaybookSha256);
        Assert.Equal(["alice", "bob"], run.Approvers);
        Assert.Equal(spec.State.RunId, run.RunId);
        Assert.Equal(1, run.Attempt);

        var complete = IncidentSpec.Data(spec.LastEvent("playbook_approved"));
        Assert.Equal("bob", complete.GetProperty("approver").GetString());
        Assert.Equal(2, complete.GetProperty("approvals").GetInt32());
        Assert.True(complete.GetProperty("complete").GetBoolean());
        var started = spec.LastEvent("check_run_started");
        Assert.Equal(spec.PlaybookSha256, started.PlaybookSha256);
        var startedData = IncidentSpec.Data(started);
        Assert.Equal(run.RunId, startedData.GetProperty("run_id").GetGuid());
        Assert.Equal(["alice", "bob"], startedData.GetProperty("approvers").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains(spec.State.PendingTimers, t => t.Cancel && t.TimerId == expiryTimer);
        Assert.Single(spec.LiveTimers(TimerKinds.RunTimeout));
        Assert.Equal(
            [("AwaitingApproval", "Approved"), ("Approved", "CheckRunning")],
            spec.StatusChanges.TakeLast(2).Select(x => (x.From, x.To)));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Does_not_count_a_refused_decision_towards_the_two()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();

        await spec.Decide(IncidentSpec.Raiser);
        await spec.Decide("service:generator");
        await spec.Decide("alice");

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Equal(1, IncidentSpec.Data(spec.LastEvent("playbook_approved")).GetProperty("approvals").GetInt32());
        Assert.Equal(2, spec.Events("decision_rejected").Count);
    }

    [Fact]
    public async Task Records_every_approval_in_order_with_its_count()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();

        await spec.Decide("alice");
        await spec.Decide("bob");

        Assert.Equal(
            [("alice", 1, false), ("bob", 2, true)],
            spec.Events("playbook_approved").Select(IncidentSpec.Data).Select(d => (d.GetProperty("approver").GetString(), d.GetProperty("approvals").GetInt32(), d.GetProperty("complete").GetBoolean())));
        Assert.Equal(
            ["playbook_verified", "approval_requested", "playbook_approved", "playbook_approved", "check_run_started"],
            spec.EventTypes.Skip(2));
    }
}
