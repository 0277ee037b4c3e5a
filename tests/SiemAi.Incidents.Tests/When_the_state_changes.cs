using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_state_changes
{
    [Fact]
    public async Task Publishes_every_step_of_the_way_to_a_successful_check()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);

        await spec.ReachCheckSucceeded();

        Assert.Equal(
            [
                ("Initial", "Received"), ("Received", "Generating"), ("Generating", "Verifying"), ("Verifying", "AwaitingApproval"),
                ("AwaitingApproval", "Approved"), ("Approved", "CheckRunning"), ("CheckRunning", "CheckSucceeded"),
            ],
            spec.StatusChanges.Select(x => (x.From, x.To)));
        Assert.All(spec.StatusChanges, x => Assert.Equal(spec.IncidentId, x.IncidentId));
        Assert.Equal("CheckSucceeded", spec.State.Status);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Publishes_the_way_through_the_board_and_an_apply_run()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval(RiskLevel.High);
        await spec.Decide("alice");
        await spec.Deliver(spec.Cab(CabDecision.Approved));
        await spec.Deliver(spec.RunResult(succeeded: true));
        await spec.Decide("carol", forApply: true);
        await spec.Deliver(spec.RunResult(succeeded: true, RunMode.Apply));

        Assert.Equal(
            [
                ("Verifying", "AwaitingApproval"), ("AwaitingApproval", "AwaitingCab"), ("AwaitingCab", "Approved"), ("Approved", "CheckRunning"),
                ("CheckRunning", "CheckSucceeded"), ("CheckSucceeded", "ApplyRunning"), ("ApplyRunning", "Applied"),
            ],
            spec.StatusChanges.Skip(3).Select(x => (x.From, x.To)));
    }

    [Fact]
    public async Task Publishes_no_change_for_a_message_that_changes_nothing()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var before = spec.StatusChanges.Count;

        await spec.Decide("alice");
        await spec.Decide("alice");
        await spec.Deliver(spec.Generated(attempt: 1));

        Assert.Equal(before, spec.StatusChanges.Count);
    }

    [Fact]
    public async Task Records_the_whole_story_of_a_regenerated_incident_in_order()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();
        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "narrower");
        await spec.Generate();
        await spec.Verify(SafetyVerdict.Warn);
        await spec.Decide("alice");
        await spec.Deliver(spec.RunResult(succeeded: true));

        Assert.Equal(
            [
                "alert_received", "playbook_generated", "playbook_verified", "approval_requested", "regeneration_requested",
                "playbook_generated", "playbook_verified", "approval_requested", "playbook_approved", "check_run_started",
                "check_run_completed", "incident_closed",
            ],
            spec.EventTypes);
        var hashes = spec.State.PendingEvents.Select(e => e.PlaybookSha256).ToList();
        Assert.Null(hashes[0]);
        Assert.Equal(hashes[1], hashes[4]);
        Assert.NotEqual(hashes[4], hashes[5]);
        Assert.All(hashes.Skip(5), h => Assert.Equal(spec.PlaybookSha256, h));
    }
}
