using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_safety_gate_lets_a_playbook_through
{
    [Theory]
    [InlineData(SafetyVerdict.Pass, "pass")]
    [InlineData(SafetyVerdict.Warn, "warn")]
    public async Task Waits_for_approval_with_the_verdict_on_record(SafetyVerdict verdict, string recorded)
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();

        await spec.Verify(verdict, RiskLevel.Medium);

        Assert.Equal(nameof(IncidentStateMachine.AwaitingApproval), spec.CurrentState);
        Assert.Equal(["alert_received", "playbook_generated", "playbook_verified", "approval_requested"], spec.EventTypes);
        var verified = spec.LastEvent("playbook_verified");
        Assert.Equal("service:safety", verified.Actor);
        Assert.Equal(spec.PlaybookSha256, verified.PlaybookSha256);
        var data = IncidentSpec.Data(verified);
        Assert.Equal(recorded, data.GetProperty("verdict").GetString());
        Assert.Equal("medium", data.GetProperty("risk").GetString());
        Assert.Equal(verdict == SafetyVerdict.Pass ? 0 : 1, data.GetProperty("findings").GetArrayLength());
        Assert.Equal(verdict, spec.State.Verdict);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Requests_two_approvals_under_dual_control_before_a_deadline_set_by_severity()
    {
        await using var spec = await IncidentSpec.Start(o => o.ApprovalDeadlines[Severity.High] = TimeSpan.FromHours(4));
        await spec.RaiseAlert(Alerts.Ssh(Severity.High));
        await spec.Generate();
        var before = DateTimeOffset.UtcNow;

        await spec.Verify(SafetyVerdict.Pass);

        var request = spec.LastEvent("approval_requested");
        Assert.Equal("service:saga", request.Actor);
        Assert.Equal(spec.PlaybookSha256, request.PlaybookSha256);
        var data = IncidentSpec.Data(request);
        Assert.Equal(2, data.GetProperty("required").GetInt32());
        Assert.True(data.GetProperty("dual_control").GetBoolean());
        Assert.False(data.GetProperty("needs_cab").GetBoolean());
        var expiry = Assert.Single(spec.LiveTimers(TimerKinds.ApprovalExpiry));
        Assert.Equal(spec.State.ApprovalTimerId, expiry.TimerId);
        Assert.InRange(expiry.DueAt, before.AddHours(4), DateTimeOffset.UtcNow.AddHours(4));
        Assert.Equal(spec.State.ApprovalDeadline, data.GetProperty("deadline").GetDateTimeOffset());
        Assert.Empty(spec.LiveTimers(TimerKinds.VerificationTimeout));
    }

    [Fact]
    public async Task Gives_a_critical_alert_a_shorter_deadline()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert(Alerts.Ssh(Severity.Critical));
        await spec.Generate();
        var before = DateTimeOffset.UtcNow;

        await spec.Verify(SafetyVerdict.Pass);

        var expiry = Assert.Single(spec.LiveTimers(TimerKinds.ApprovalExpiry));
        Assert.InRange(expiry.DueAt, before.AddHours(1), DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public async Task Ignores_a_verdict_on_other_bytes_as_stale()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();
        var other = PlaybookHash.Of("- hosts: all\n  tasks: []\n");

        await spec.Deliver(spec.Verdict(SafetyVerdict.Pass, sha256: other));

        Assert.Equal(nameof(IncidentStateMachine.Verifying), spec.CurrentState);
        var stale = IncidentSpec.Data(spec.LastEvent("stale_message_ignored"));
        Assert.Equal("PlaybookVerified", stale.GetProperty("message").GetString());
        Assert.Equal(other, stale.GetProperty("playbook_sha256").GetString());
        Assert.Empty(spec.Events("approval_requested"));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Fails_the_incident_when_the_safety_gate_does_not_answer_in_time()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Generate();

        await spec.FireTimer(TimerKinds.VerificationTimeout);

        Assert.Equal(nameof(IncidentStateMachine.Failed), spec.CurrentState);
        Assert.Equal("the safety gate did not answer in time", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("reason").GetString());
    }
}
