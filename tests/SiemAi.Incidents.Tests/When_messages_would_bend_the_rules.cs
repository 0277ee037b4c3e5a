using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_messages_would_bend_the_rules
{
    [Fact]
    public async Task Dual_control_rejects_the_same_person_approving_again_with_the_for_apply_flag()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
        await spec.ReachAwaitingApproval();
        await spec.Decide("alice");

        await spec.Decide("alice", forApply: true);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Empty(spec.Published<RunPlaybook>());
        Assert.Single(spec.Events("playbook_approved"));
    }

    [Fact]
    public async Task Regeneration_ignores_a_redelivered_playbook_from_before_the_regeneration()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var firstRound = spec.Generated(attempt: 1);
        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "only block port 22");

        await spec.Deliver(firstRound);

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        Assert.Equal("stale_message_ignored", spec.EventTypes[^1]);
        Assert.Empty(spec.Published<VerifyPlaybook>().Skip(1));
    }

    [Fact]
    public async Task Regeneration_numbers_a_regeneration_request_after_the_earlier_attempts()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();

        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "only block port 22");

        Assert.Equal([1, 2], spec.Published<GeneratePlaybook>().Select(x => x.Attempt));
    }

    [Fact]
    public async Task Late_records_a_check_approval_sent_after_the_check_succeeded()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachCheckSucceeded();
        var before = spec.EventTypes.Count;

        await spec.Decide("carol", forApply: false);

        Assert.Equal(before + 1, spec.EventTypes.Count);
    }

    [Fact]
    public async Task Stale_records_a_result_for_a_run_that_is_not_the_current_one()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();
        var before = spec.EventTypes.Count;

        await spec.Deliver(spec.RunResult(succeeded: true, runId: Guid.NewGuid()));

        Assert.Equal(before + 1, spec.EventTypes.Count);
        Assert.Equal("stale_message_ignored", spec.EventTypes[^1]);
    }

    [Fact]
    public async Task Names_the_message_type_in_unexpected_message_ignored()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        await spec.Decide("carol", ApprovalDecision.Deny);

        await spec.Decide("alice");

        Assert.Equal("SubmitApprovalDecision", IncidentSpec.Data(spec.LastEvent("unexpected_message_ignored")).GetProperty("message").GetString());
    }
}
