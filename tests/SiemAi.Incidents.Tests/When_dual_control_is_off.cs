using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_dual_control_is_off
{
    [Fact]
    public async Task Requests_one_approval()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);

        await spec.ReachAwaitingApproval();

        var data = IncidentSpec.Data(spec.LastEvent("approval_requested"));
        Assert.Equal(1, data.GetProperty("required").GetInt32());
        Assert.False(data.GetProperty("dual_control").GetBoolean());
    }

    [Fact]
    public async Task Starts_the_check_run_after_one_approval()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();

        await spec.Decide("alice");

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        var run = Assert.Single(spec.Published<RunPlaybook>());
        Assert.Equal(["alice"], run.Approvers);
        Assert.Equal(spec.PlaybookSha256, run.PlaybookSha256);
        var approved = IncidentSpec.Data(spec.LastEvent("playbook_approved"));
        Assert.Equal(1, approved.GetProperty("required").GetInt32());
        Assert.True(approved.GetProperty("complete").GetBoolean());
        spec.AssertNoFaults();
    }
}
