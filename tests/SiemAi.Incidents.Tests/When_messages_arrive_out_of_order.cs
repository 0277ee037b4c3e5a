using MassTransit;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_messages_arrive_out_of_order
{
    private static void AssertIgnored(IncidentSpec spec, string state, string message, int statusChanges, int eventsBefore)
    {
        Assert.Equal(state, spec.CurrentState);
        Assert.Equal(eventsBefore + 1, spec.EventTypes.Count);
        var ignored = spec.State.PendingEvents[^1];
        Assert.Equal("unexpected_message_ignored", ignored.Type);
        Assert.Equal("service:saga", ignored.Actor);
        var data = IncidentSpec.Data(ignored);
        Assert.Equal(message, data.GetProperty("message").GetString());
        Assert.Equal(state, data.GetProperty("state").GetString());
        Assert.Equal(statusChanges, spec.StatusChanges.Count);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Records_and_ignores_a_verdict_that_arrives_while_generating()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Deliver(spec.Verdict(SafetyVerdict.Pass, sha256: PlaybookHash.Of(Playbooks.BlockIp(1, 0))));

        AssertIgnored(spec, "Generating", "PlaybookVerified", changes, events);
        Assert.Null(spec.State.Verdict);
        Assert.Empty(spec.Events("approval_requested"));
    }

    [Fact]
    public async Task Records_and_ignores_a_run_result_that_arrives_while_awaiting_approval()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Deliver(spec.RunResult(succeeded: true, RunMode.Check, runId: Guid.NewGuid()));

        AssertIgnored(spec, "AwaitingApproval", "PlaybookRunCompleted", changes, events);
        Assert.Null(spec.State.LastRunSucceeded);
    }

    [Fact]
    public async Task Records_and_ignores_a_run_failure_that_arrives_while_verifying()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Deliver(new PlaybookRunFailed { IncidentId = spec.IncidentId, Timestamp = DateTimeOffset.UtcNow, RunId = Guid.NewGuid(), Mode = RunMode.Check, Reason = "hash mismatch", Refused = true });

        AssertIgnored(spec, "Verifying", "PlaybookRunFailed", changes, events);
    }

    [Fact]
    public async Task Records_and_ignores_an_approval_that_arrives_before_the_verdict()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.RaiseAlert();
        await spec.Generate();
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Decide("alice");

        AssertIgnored(spec, "Verifying", "SubmitApprovalDecision", changes, events);
        Assert.Empty(spec.State.Approvals);

        await spec.Verify(SafetyVerdict.Pass);
        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Theory]
    [InlineData(ApprovalDecision.Approve)]
    [InlineData(ApprovalDecision.Deny)]
    [InlineData(ApprovalDecision.Regenerate)]
    public async Task Records_and_ignores_a_decision_in_a_final_state(ApprovalDecision decision)
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        await spec.Decide("carol", ApprovalDecision.Deny);
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Decide("alice", decision, comment: "late");

        AssertIgnored(spec, "Denied", "SubmitApprovalDecision", changes, events);
        Assert.Single(spec.Published<GeneratePlaybook>());
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Records_and_ignores_a_board_decision_after_the_incident_was_denied()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval(RiskLevel.High);
        await spec.Decide("carol", ApprovalDecision.Deny);
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Deliver(spec.Cab(CabDecision.Approved));

        AssertIgnored(spec, "Denied", "RecordCabDecision", changes, events);
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Records_and_ignores_a_generated_playbook_after_the_incident_failed()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Deliver(new PlaybookGenerationFailed { IncidentId = spec.IncidentId, Timestamp = DateTimeOffset.UtcNow, Reason = "no template fits", Retryable = false });
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Deliver(spec.Generated(attempt: 1));

        AssertIgnored(spec, "Failed", "PlaybookGenerated", changes, events);
        Assert.Empty(spec.Published<VerifyPlaybook>());
    }

    [Fact]
    public async Task Records_and_ignores_a_timer_that_fires_after_the_incident_closed()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var expiry = spec.State.ApprovalTimerId!.Value;
        await spec.Decide("carol", ApprovalDecision.Deny);
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        // The sweeper may already have picked the timer up when the denial cancelled it.
        await spec.FireTimer(TimerKinds.ApprovalExpiry, expiry);

        AssertIgnored(spec, "Denied", "IncidentTimerElapsed", changes, events);
        Assert.Empty(spec.Events("approval_expired"));
    }

    [Fact]
    public async Task Records_and_ignores_a_generation_failure_after_the_playbook_arrived()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();
        var (changes, events) = (spec.StatusChanges.Count, spec.EventTypes.Count);

        await spec.Deliver(new PlaybookGenerationFailed { IncidentId = spec.IncidentId, Timestamp = DateTimeOffset.UtcNow, Reason = "late", Retryable = false });

        AssertIgnored(spec, "Verifying", "PlaybookGenerationFailed", changes, events);
    }

    [Fact]
    public async Task Discards_messages_for_an_incident_that_does_not_exist()
    {
        await using var spec = await IncidentSpec.Start();
        var generated = spec.Generated(yaml: Playbooks.BlockIp(1, 0), attempt: 1);

        await spec.Harness.Bus.Publish(generated);
        await spec.Harness.Bus.Publish(spec.Verdict(SafetyVerdict.Pass, sha256: generated.PlaybookSha256));

        Assert.True(await spec.Harness.Consumed.Any<PlaybookGenerated>());
        Assert.True(await spec.Harness.Consumed.Any<PlaybookVerified>());
        Assert.False(await spec.Harness.Published.Any<Fault<PlaybookGenerated>>());
        Assert.False(await spec.Harness.Published.Any<Fault<PlaybookVerified>>());
        Assert.Null(spec.Saga.Sagas.Contains(spec.IncidentId));
        Assert.Empty(spec.Published<VerifyPlaybook>());
    }
}
