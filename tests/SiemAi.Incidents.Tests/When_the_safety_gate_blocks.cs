using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_safety_gate_blocks
{
    [Fact]
    public async Task Ends_the_incident_as_blocked_with_playbook_rejected()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();

        await spec.Verify(SafetyVerdict.Block, RiskLevel.Critical);

        Assert.Equal(nameof(IncidentStateMachine.Blocked), spec.CurrentState);
        Assert.Equal(["alert_received", "playbook_generated", "playbook_rejected", "incident_closed"], spec.EventTypes);
        var rejected = spec.LastEvent("playbook_rejected");
        Assert.Equal("service:safety", rejected.Actor);
        Assert.Equal(spec.PlaybookSha256, rejected.PlaybookSha256);
        var data = IncidentSpec.Data(rejected);
        Assert.Equal("block", data.GetProperty("verdict").GetString());
        Assert.Equal("critical", data.GetProperty("risk").GetString());
        Assert.Equal("SG001", data.GetProperty("findings")[0].GetProperty("rule").GetString());
        var closed = IncidentSpec.Data(spec.LastEvent("incident_closed"));
        Assert.Equal("blocked", closed.GetProperty("outcome").GetString());
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Asks_nobody_for_approval()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();

        await spec.Verify(SafetyVerdict.Block);

        Assert.Empty(spec.Events("approval_requested"));
        Assert.Empty(spec.LiveTimers(TimerKinds.ApprovalExpiry));
        Assert.Empty(spec.LiveTimers(TimerKinds.VerificationTimeout));
        Assert.Null(spec.State.ApprovalTimerId);
        var last = spec.StatusChanges[^1];
        Assert.Equal(("Verifying", "Blocked"), (last.From, last.To));
        Assert.Equal("the safety gate blocked the playbook", last.Reason);
    }

    [Fact]
    public async Task Refuses_approvals_afterwards()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();
        await spec.Verify(SafetyVerdict.Block);

        await spec.Decide("alice");
        await spec.Decide("bob");

        Assert.Equal(nameof(IncidentStateMachine.Blocked), spec.CurrentState);
        Assert.Empty(spec.Events("playbook_approved"));
        Assert.Equal(2, spec.Events("unexpected_message_ignored").Count);
        Assert.Empty(spec.Published<RunPlaybook>());
        spec.AssertNoFaults();
    }
}
