using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_runner_fails
{
    [Fact]
    public async Task Ends_as_failed_with_run_refused_when_the_runner_refuses_the_bytes()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();

        await spec.Deliver(spec.RunFailure("playbook hash mismatch", refused: true, retryable: true));

        Assert.Equal(nameof(IncidentStateMachine.Failed), spec.CurrentState);
        var refused = spec.LastEvent("run_refused");
        Assert.Equal("service:runner", refused.Actor);
        Assert.Equal(spec.PlaybookSha256, refused.PlaybookSha256);
        Assert.Equal("playbook hash mismatch", IncidentSpec.Data(refused).GetProperty("reason").GetString());
        Assert.Equal("failed", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("outcome").GetString());
        Assert.Single(spec.Published<RunPlaybook>());
        Assert.Empty(spec.LiveTimers(TimerKinds.RetryRun));
        Assert.Contains("refused", spec.StatusChanges[^1].Reason, StringComparison.Ordinal);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Retries_a_retryable_failure_as_a_new_run_after_a_backoff()
    {
        await using var spec = await IncidentSpec.Start(o => o.MaxRunAttempts = 2);
        await spec.ReachCheckRunning();
        var firstRun = spec.State.RunId;

        await spec.Deliver(spec.RunFailure("ansible-playbook was killed", retryable: true));

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        Assert.Equal("ansible-playbook was killed", IncidentSpec.Data(spec.LastEvent("run_failed")).GetProperty("reason").GetString());
        Assert.Single(spec.LiveTimers(TimerKinds.RetryRun));
        Assert.Single(spec.Published<RunPlaybook>());

        await spec.FireTimer(TimerKinds.RetryRun);

        var runs = spec.Published<RunPlaybook>();
        Assert.Equal(2, runs.Count);
        Assert.Equal(2, runs[1].Attempt);
        Assert.NotEqual(firstRun, runs[1].RunId);
        Assert.Equal(spec.State.RunId, runs[1].RunId);
        Assert.Equal(runs[0].PlaybookSha256, runs[1].PlaybookSha256);
        Assert.Equal(runs[0].Approvers, runs[1].Approvers);
        Assert.Equal(2, spec.Events("check_run_started").Count);

        await spec.Deliver(spec.RunResult(succeeded: true));
        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
    }

    [Fact]
    public async Task Ends_as_check_failed_after_the_last_attempt()
    {
        await using var spec = await IncidentSpec.Start(o => o.MaxRunAttempts = 2);
        await spec.ReachCheckRunning();
        await spec.Deliver(spec.RunFailure("ansible-playbook was killed", retryable: true));
        await spec.FireTimer(TimerKinds.RetryRun);

        await spec.Deliver(spec.RunFailure("ansible-playbook was killed again", retryable: true));

        Assert.Equal(nameof(IncidentStateMachine.CheckFailed), spec.CurrentState);
        Assert.Equal(2, spec.Events("run_failed").Count);
        Assert.Equal(2, spec.Published<RunPlaybook>().Count);
        var closed = IncidentSpec.Data(spec.LastEvent("incident_closed"));
        Assert.Equal("check_failed", closed.GetProperty("outcome").GetString());
        Assert.Contains("killed again", closed.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ends_as_check_failed_at_once_when_the_failure_is_not_retryable()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();

        await spec.Deliver(spec.RunFailure("ansible-playbook not found", retryable: false));

        Assert.Equal(nameof(IncidentStateMachine.CheckFailed), spec.CurrentState);
        Assert.Single(spec.Published<RunPlaybook>());
    }

    [Fact]
    public async Task Ignores_a_late_result_of_the_run_it_replaced()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();
        var firstRun = spec.State.RunId!.Value;
        await spec.Deliver(spec.RunFailure("ansible-playbook was killed", retryable: true));
        await spec.FireTimer(TimerKinds.RetryRun);

        await spec.Deliver(spec.RunResult(succeeded: false, runId: firstRun));

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        Assert.Empty(spec.Events("check_run_completed"));
    }
}
