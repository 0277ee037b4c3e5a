using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_check_run_completes
{
    [Fact]
    public async Task Ends_as_check_succeeded_when_every_host_is_fine()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();
        var runTimer = spec.State.StageTimerId;
        var result = spec.RunResult(succeeded: true);

        await spec.Deliver(result);

        Assert.Equal(nameof(IncidentStateMachine.CheckSucceeded), spec.CurrentState);
        var completed = spec.LastEvent("check_run_completed");
        Assert.Equal("service:runner", completed.Actor);
        Assert.Equal(spec.PlaybookSha256, completed.PlaybookSha256);
        var data = IncidentSpec.Data(completed);
        Assert.Equal(result.RunId, data.GetProperty("run_id").GetGuid());
        Assert.True(data.GetProperty("succeeded").GetBoolean());
        Assert.Equal(0, data.GetProperty("exit_code").GetInt32());
        Assert.Equal("web-01", data.GetProperty("hosts")[0].GetProperty("host").GetString());
        Assert.Equal(result.OutputSha256, data.GetProperty("output_sha256").GetString());
        Assert.Equal("check_succeeded", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("outcome").GetString());
        Assert.True(spec.State.LastRunSucceeded);
        Assert.Contains(spec.State.PendingTimers, t => t.Cancel && t.TimerId == runTimer);
        Assert.Equal(("CheckRunning", "CheckSucceeded"), (spec.StatusChanges[^1].From, spec.StatusChanges[^1].To));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Ends_as_check_failed_when_a_host_failed()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();

        await spec.Deliver(spec.RunResult(succeeded: false));

        Assert.Equal(nameof(IncidentStateMachine.CheckFailed), spec.CurrentState);
        Assert.False(IncidentSpec.Data(spec.LastEvent("check_run_completed")).GetProperty("succeeded").GetBoolean());
        var closed = IncidentSpec.Data(spec.LastEvent("incident_closed"));
        Assert.Equal("check_failed", closed.GetProperty("outcome").GetString());
        Assert.Equal(1, spec.State.LastRunHosts.Single().Failed);
    }

    [Fact]
    public async Task Ignores_a_result_for_another_run()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();

        await spec.Deliver(spec.RunResult(succeeded: true, runId: Guid.NewGuid()));

        Assert.Equal(nameof(IncidentStateMachine.CheckRunning), spec.CurrentState);
        Assert.Empty(spec.Events("check_run_completed"));
        Assert.Empty(spec.Events("incident_closed"));
        Assert.Null(spec.State.LastRunSucceeded);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Fails_the_incident_when_the_runner_does_not_report_in_time()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.ReachCheckRunning();

        await spec.FireTimer(TimerKinds.RunTimeout);

        Assert.Equal(nameof(IncidentStateMachine.Failed), spec.CurrentState);
        Assert.Equal("the runner did not report in time", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("reason").GetString());
    }
}
