using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_an_approver_asks_for_regeneration
{
    [Fact]
    public async Task Goes_back_to_generating_with_the_comment()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var first = spec.PlaybookSha256;
        var expiryTimer = spec.State.ApprovalTimerId;

        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "only block port 22");

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        var requests = spec.Published<GeneratePlaybook>();
        Assert.Equal(2, requests.Count);
        Assert.Equal("only block port 22", requests[^1].RegenerationComment);
        Assert.Equal(first, requests[^1].PreviousPlaybookSha256);
        var regeneration = spec.LastEvent("regeneration_requested");
        Assert.Equal("approver:dave", regeneration.Actor);
        Assert.Equal(first, regeneration.PlaybookSha256);
        var data = IncidentSpec.Data(regeneration);
        Assert.Equal("only block port 22", data.GetProperty("comment").GetString());
        Assert.Equal(1, data.GetProperty("regeneration").GetInt32());
        Assert.Contains(spec.State.PendingTimers, t => t.Cancel && t.TimerId == expiryTimer);
        Assert.Equal(spec.State.StageTimerId, spec.LiveTimers(TimerKinds.GenerationTimeout)[^1].TimerId);
        var last = spec.StatusChanges[^1];
        Assert.Equal(("AwaitingApproval", "Generating"), (last.From, last.To));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Keeps_the_comment_when_the_regeneration_is_retried()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "only block port 22");

        await spec.FireTimer(TimerKinds.GenerationTimeout);

        Assert.Equal("only block port 22", spec.Published<GeneratePlaybook>()[^1].RegenerationComment);
    }

    [Fact]
    public async Task Puts_the_new_playbook_through_the_safety_gate_and_approval_again()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();
        var first = spec.PlaybookSha256;
        await spec.Decide("alice");
        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "only block port 22");

        await spec.Generate();
        Assert.Equal(nameof(IncidentStateMachine.Verifying), spec.CurrentState);
        Assert.NotEqual(first, spec.PlaybookSha256);
        Assert.Equal(spec.PlaybookSha256, spec.Published<VerifyPlaybook>()[^1].PlaybookSha256);
        await spec.Verify(SafetyVerdict.Pass);
        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);

        // Alice approved the earlier bytes; that approval does not carry over.
        await spec.Decide("alice");
        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Equal(1, IncidentSpec.Data(spec.LastEvent("playbook_approved")).GetProperty("approvals").GetInt32());

        await spec.Decide("bob");
        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        var run = Assert.Single(spec.Published<RunPlaybook>());
        Assert.Equal(spec.PlaybookSha256, run.PlaybookSha256);
        Assert.Equal(["alice", "bob"], run.Approvers);
    }

    [Fact]
    public async Task Rejects_an_approval_of_the_earlier_playbook()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();
        var first = spec.PlaybookSha256;
        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "narrower");
        await spec.Generate();
        await spec.Verify(SafetyVerdict.Pass);

        await spec.Decide("alice", sha256: first);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Contains("another playbook", IncidentSpec.Data(spec.LastEvent("decision_rejected")).GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_the_regenerating_approver_as_approver_of_the_next_playbook()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();
        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "narrower");
        await spec.Generate();
        await spec.Verify(SafetyVerdict.Pass);

        await spec.Decide("dave");

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        var rejected = spec.LastEvent("decision_rejected");
        Assert.Equal("approver:dave", rejected.Actor);
        Assert.Contains("regenerated", IncidentSpec.Data(rejected).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(spec.Published<RunPlaybook>());

        await spec.Decide("alice");
        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
    }

    [Fact]
    public async Task Allows_at_most_the_configured_number_of_regenerations()
    {
        await using var spec = await IncidentSpec.Start(o => o.MaxRegenerations = 3);
        await spec.ReachAwaitingApproval();
        for (var round = 1; round <= 3; round++)
        {
            await spec.Decide($"editor-{round}", ApprovalDecision.Regenerate, comment: $"round {round}");
            await spec.Generate();
            await spec.Verify(SafetyVerdict.Pass);
        }

        await spec.Decide("editor-4", ApprovalDecision.Regenerate, comment: "once more");

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Equal(3, spec.State.Regenerations);
        Assert.Equal(3, spec.Events("regeneration_requested").Count);
        var rejected = IncidentSpec.Data(spec.LastEvent("decision_rejected"));
        Assert.Equal("regenerate", rejected.GetProperty("decision").GetString());
        Assert.Contains("at most 3", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, spec.Published<GeneratePlaybook>().Count);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Refuses_regeneration_when_none_is_allowed()
    {
        await using var spec = await IncidentSpec.Start(o => o.MaxRegenerations = 0);
        await spec.ReachAwaitingApproval();

        await spec.Decide("dave", ApprovalDecision.Regenerate, comment: "narrower");

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Single(spec.Published<GeneratePlaybook>());
    }
}
