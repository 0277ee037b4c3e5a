using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_messages_are_duplicated
{
    [Fact]
    public async Task Asks_the_safety_gate_once_for_a_playbook_delivered_twice()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        var generated = spec.Generated();

        await spec.Deliver(generated);
        await spec.Deliver(generated);

        Assert.Equal(nameof(IncidentStateMachine.Verifying), spec.CurrentState);
        Assert.Single(spec.Published<VerifyPlaybook>());
        Assert.Single(spec.Events("playbook_generated"));
        Assert.Equal("unexpected_message_ignored", spec.EventTypes[^1]);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Schedules_one_approval_deadline_for_a_verdict_delivered_twice()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();
        var verdict = spec.Verdict(SafetyVerdict.Pass);

        await spec.Deliver(verdict);
        var deadline = spec.State.ApprovalDeadline;
        await spec.Deliver(verdict);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Single(spec.Events("playbook_verified"));
        Assert.Single(spec.Events("approval_requested"));
        Assert.Single(spec.LiveTimers(TimerKinds.ApprovalExpiry));
        Assert.Equal(deadline, spec.State.ApprovalDeadline);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Counts_a_resubmitted_approval_once_under_dual_control()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        var approval = spec.Decision("alice");

        await spec.Deliver(approval);
        await spec.Deliver(approval);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Single(spec.Events("playbook_approved"));
        Assert.Single(spec.State.Approvals);
        Assert.Empty(spec.Published<RunPlaybook>());
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Starts_one_check_run_for_a_completing_approval_delivered_twice()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        await spec.Decide("alice");
        var second = spec.Decision("bob");

        await spec.Deliver(second);
        await spec.Deliver(second);

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        Assert.Single(spec.Published<RunPlaybook>());
        Assert.Equal(2, spec.Events("playbook_approved").Count);
        Assert.Equal("unexpected_message_ignored", spec.EventTypes[^1]);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Records_one_result_for_a_run_result_delivered_twice()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();
        var result = spec.RunResult(succeeded: true);

        await spec.Deliver(result);
        await spec.Deliver(result);

        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
        Assert.Single(spec.Events("check_run_completed"));
        Assert.Single(spec.Events("incident_closed"));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Requests_one_retry_for_a_generation_failure_delivered_twice()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        var failure = new PlaybookGenerationFailed { IncidentId = spec.IncidentId, Timestamp = DateTimeOffset.UtcNow, Reason = "503", Attempt = 1 };
        await spec.Deliver(failure);
        await spec.FireTimer(TimerKinds.RetryGeneration);

        await spec.Deliver(failure);

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        Assert.Equal(2, spec.State.GenerationAttempt);
        Assert.Equal(2, spec.Published<GeneratePlaybook>().Count);
        Assert.Single(spec.Events("playbook_generation_failed"));
    }

    [Fact]
    public async Task Fires_a_retry_timer_once_when_it_is_delivered_twice()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Deliver(new PlaybookGenerationFailed { IncidentId = spec.IncidentId, Timestamp = DateTimeOffset.UtcNow, Reason = "503", Attempt = 1 });
        var retry = spec.State.StageTimerId!.Value;

        await spec.FireTimer(TimerKinds.RetryGeneration, retry);
        await spec.FireTimer(TimerKinds.RetryGeneration, retry);

        Assert.Equal([1, 2], spec.Published<GeneratePlaybook>().Select(x => x.Attempt));
    }

    [Fact]
    public async Task Closes_the_incident_once_for_a_denial_delivered_twice()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var denial = spec.Decision("carol", ApprovalDecision.Deny);

        await spec.Deliver(denial);
        await spec.Deliver(denial);

        Assert.Equal(nameof(IncidentStateMachine.Denied), spec.CurrentState);
        Assert.Single(spec.Events("approval_denied"));
        Assert.Single(spec.Events("incident_closed"));
        Assert.Single(spec.StatusChanges, x => x.To == "Denied");
    }
}
