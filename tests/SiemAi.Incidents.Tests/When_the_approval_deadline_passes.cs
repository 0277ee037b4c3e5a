using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_approval_deadline_passes
{
    [Fact]
    public async Task Ends_the_incident_as_expired()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        await spec.Decide("alice");

        await spec.FireTimer(TimerKinds.ApprovalExpiry);

        Assert.Equal(nameof(IncidentStateMachine.Expired), spec.CurrentState);
        var expired = IncidentSpec.Data(spec.LastEvent("approval_expired"));
        Assert.Equal(1, expired.GetProperty("approvals").GetInt32());
        Assert.Equal(2, expired.GetProperty("required").GetInt32());
        Assert.Equal(spec.State.ApprovalDeadline, expired.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal("expired", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("outcome").GetString());
        var last = spec.StatusChanges[^1];
        Assert.Equal(("AwaitingApproval", "Expired"), (last.From, last.To));
        Assert.Equal("no decision before the approval deadline", last.Reason);
        Assert.Empty(spec.Published<RunPlaybook>());
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Refuses_approvals_that_come_too_late()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();
        await spec.FireTimer(TimerKinds.ApprovalExpiry);

        await spec.Decide("alice");

        Assert.Equal(nameof(IncidentStateMachine.Expired), spec.CurrentState);
        Assert.Empty(spec.Events("playbook_approved"));
        Assert.Equal("SubmitApprovalDecision", IncidentSpec.Data(spec.LastEvent("unexpected_message_ignored")).GetProperty("message").GetString());
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Ignores_a_timer_that_is_not_the_current_one()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        await spec.FireTimer(TimerKinds.ApprovalExpiry, Guid.NewGuid());

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Empty(spec.Events("approval_expired"));
        Assert.Empty(spec.Events("incident_closed"));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Ignores_a_current_timer_id_fired_under_another_kind()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();

        await spec.FireTimer(TimerKinds.GenerationTimeout, spec.State.ApprovalTimerId!.Value);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Single(spec.Published<GeneratePlaybook>());
    }

    [Fact]
    public async Task Ignores_the_expiry_timer_of_a_playbook_that_was_regenerated()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var firstRoundTimer = spec.State.ApprovalTimerId!.Value;
        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "narrower");
        await spec.Generate();
        await spec.Verify(SafetyVerdict.Pass);
        Assert.NotEqual(firstRoundTimer, spec.State.ApprovalTimerId);

        await spec.FireTimer(TimerKinds.ApprovalExpiry, firstRoundTimer);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Empty(spec.Events("approval_expired"));
    }

    [Fact]
    public async Task Ignores_a_stale_generation_timeout_after_the_playbook_arrived()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        var generationTimer = spec.State.StageTimerId!.Value;
        await spec.Generate();

        await spec.FireTimer(TimerKinds.GenerationTimeout, generationTimer);

        Assert.Equal(nameof(IncidentStateMachine.Verifying), spec.CurrentState);
        Assert.Single(spec.Published<GeneratePlaybook>());
        spec.AssertNoFaults();
    }
}
