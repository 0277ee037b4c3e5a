using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_check_result_is_approved_for_apply
{
    [Fact]
    public async Task Waits_for_the_second_apply_approval()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachCheckSucceeded();

        await spec.Decide("carol", forApply: true);

        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
        var data = IncidentSpec.Data(spec.LastEvent("playbook_approved"));
        Assert.True(data.GetProperty("for_apply").GetBoolean());
        Assert.Equal(1, data.GetProperty("approvals").GetInt32());
        Assert.False(data.GetProperty("complete").GetBoolean());
        Assert.Single(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Starts_an_apply_run_after_two_distinct_approvals()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachCheckSucceeded();

        await spec.Decide("carol", forApply: true);
        await spec.Decide("erin", forApply: true);

        Assert.Equal(nameof(IncidentStateMachine.ApplyRunning), spec.CurrentState);
        var runs = spec.Published<RunPlaybook>();
        Assert.Equal(2, runs.Count);
        var apply = runs[1];
        Assert.Equal(RunMode.Apply, apply.Mode);
        Assert.Equal(spec.PlaybookSha256, apply.PlaybookSha256);
        Assert.Equal(["carol", "erin"], apply.Approvers);
        Assert.NotEqual(runs[0].RunId, apply.RunId);
        var complete = IncidentSpec.Data(spec.LastEvent("playbook_approved"));
        Assert.True(complete.GetProperty("complete").GetBoolean());
        Assert.True(complete.GetProperty("for_apply").GetBoolean());
        Assert.Single(spec.Events("apply_run_started"));
        Assert.Equal(("CheckSucceeded", "ApplyRunning"), (spec.StatusChanges[^1].From, spec.StatusChanges[^1].To));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Ends_as_applied_when_the_apply_run_succeeds()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachCheckSucceeded();
        await spec.Decide("carol", forApply: true);
        await spec.Decide("erin", forApply: true);

        await spec.Deliver(spec.RunResult(succeeded: true, RunMode.Apply));

        Assert.Equal(nameof(IncidentStateMachine.Applied), spec.CurrentState);
        Assert.Single(spec.Events("apply_run_completed"));
        Assert.Equal("applied", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Ends_as_apply_failed_when_a_host_failed()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachCheckSucceeded();
        await spec.Decide("carol", forApply: true);
        Assert.Equal(nameof(IncidentStateMachine.ApplyRunning), spec.CurrentState);

        await spec.Deliver(spec.RunResult(succeeded: false, RunMode.Apply));

        Assert.Equal(nameof(IncidentStateMachine.ApplyFailed), spec.CurrentState);
        Assert.Equal("apply_failed", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Rejects_the_same_apply_approver_twice()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachCheckSucceeded();
        await spec.Decide("carol", forApply: true);

        await spec.Decide("carol", forApply: true);

        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
        Assert.True(IncidentSpec.Data(spec.LastEvent("decision_rejected")).GetProperty("for_apply").GetBoolean());
        Assert.Single(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Rejects_the_raiser_and_services_as_apply_approvers()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachCheckSucceeded();

        await spec.Decide(IncidentSpec.Raiser, forApply: true);
        await spec.Decide("service:runner", forApply: true);

        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
        Assert.Equal(2, spec.Events("decision_rejected").Count);
        Assert.Single(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Rejects_anything_but_an_approval_of_the_check_result()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachCheckSucceeded();

        await spec.Decide("carol", ApprovalDecision.Regenerate, forApply: true, comment: "again");

        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
        Assert.Equal("only approvals apply to a check result", IncidentSpec.Data(spec.LastEvent("decision_rejected")).GetProperty("reason").GetString());
        Assert.Single(spec.Published<GeneratePlaybook>());
    }

    [Fact]
    public async Task Rejects_an_apply_approval_of_other_bytes()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachCheckSucceeded();

        await spec.Decide("carol", sha256: PlaybookHash.Of("- hosts: all\n"), forApply: true);

        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
        Assert.Single(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Refuses_an_apply_approval_before_the_check_ran()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachCheckRunning();

        await spec.Decide("carol", forApply: true);

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        Assert.Single(spec.Published<RunPlaybook>());
        Assert.Single(spec.Events("unexpected_message_ignored"));
    }
}
