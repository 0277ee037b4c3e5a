using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_a_decision_is_refused
{
    [Fact]
    public async Task Rejects_an_approval_of_other_bytes_than_those_under_review()
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();
        var other = PlaybookHash.Of("- hosts: all\n  tasks: []\n");

        await spec.Decide("alice", sha256: other);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        var rejected = spec.LastEvent("decision_rejected");
        Assert.Equal("approver:alice", rejected.Actor);
        var data = IncidentSpec.Data(rejected);
        Assert.Equal("approve", data.GetProperty("decision").GetString());
        Assert.Contains("another playbook", data.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(spec.Events("playbook_approved"));
        Assert.Empty(spec.State.Approvals);
        Assert.Empty(spec.Published<RunPlaybook>());
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Rejects_a_denial_of_other_bytes_too()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();

        await spec.Decide("alice", ApprovalDecision.Deny, sha256: PlaybookHash.Of("something else"));

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Empty(spec.Events("approval_denied"));
        Assert.Single(spec.Events("decision_rejected"));
    }

    [Theory]
    [InlineData(IncidentSpec.Raiser)]
    [InlineData("API-KEY:SIEM-EAST")]
    public async Task Rejects_the_person_who_raised_the_alert(string approver)
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();

        await spec.Decide(approver);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Contains("raised", IncidentSpec.Data(spec.LastEvent("decision_rejected")).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Rejects_a_denial_by_the_person_who_raised_the_alert()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachAwaitingApproval();

        await spec.Decide(IncidentSpec.Raiser, ApprovalDecision.Deny);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Empty(spec.Events("approval_denied"));
    }

    [Theory]
    [InlineData("service:generator")]
    [InlineData("service:saga")]
    [InlineData("service:safety")]
    public async Task Rejects_any_service_as_approver(string service)
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await spec.ReachAwaitingApproval();

        await spec.Decide(service);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        var rejected = spec.LastEvent("decision_rejected");
        Assert.Equal($"approver:{service}", rejected.Actor);
        Assert.Contains("never an approver", IncidentSpec.Data(rejected).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(spec.Published<RunPlaybook>());
    }
}
