using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_an_alert_arrives
{
    [Fact]
    public async Task Starts_generating_and_asks_the_generator_for_a_playbook()
    {
        await using var spec = await IncidentSpec.Start();
        var alert = Alerts.Ssh();

        await spec.RaiseAlert(alert);

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        var request = Assert.Single(spec.Published<GeneratePlaybook>());
        Assert.Equal(spec.IncidentId, request.IncidentId);
        Assert.Equal(alert.AlertId, request.Alert.AlertId);
        Assert.Equal(alert.Fingerprint, request.Alert.Fingerprint);
        Assert.Equal(1, request.Attempt);
        Assert.Null(request.RegenerationComment);
        Assert.Null(request.PreviousPlaybookSha256);
        Assert.Equal(["alert_received"], spec.EventTypes);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Records_the_alert_with_its_source_as_actor()
    {
        await using var spec = await IncidentSpec.Start();
        var alert = Alerts.Ssh();

        await spec.RaiseAlert(alert);

        var received = spec.LastEvent("alert_received");
        Assert.Equal("source:wazuh", received.Actor);
        Assert.Null(received.PlaybookSha256);
        var data = IncidentSpec.Data(received);
        Assert.Equal(alert.AlertId, data.GetProperty("alert_id").GetGuid());
        Assert.Equal(1, data.GetProperty("alert_count").GetInt32());
        Assert.Equal("high", data.GetProperty("severity").GetString());
        Assert.Equal("web-01", data.GetProperty("asset").GetString());
        Assert.Equal("fp-ssh-web-01", data.GetProperty("fingerprint").GetString());
        Assert.Equal(alert.RawPayload, data.GetProperty("raw_payload").GetString());
        Assert.Equal(1, spec.State.AlertCount);
        Assert.Equal(IncidentSpec.Raiser, spec.State.RaisedBy);
    }

    [Fact]
    public async Task Schedules_a_generation_timeout()
    {
        await using var spec = await IncidentSpec.Start(o => o.GenerationTimeout = TimeSpan.FromMinutes(7));
        var before = DateTimeOffset.UtcNow;

        await spec.RaiseAlert();

        var timer = Assert.Single(spec.LiveTimers(TimerKinds.GenerationTimeout));
        Assert.Equal(spec.State.StageTimerId, timer.TimerId);
        Assert.InRange(timer.DueAt, before.AddMinutes(7), DateTimeOffset.UtcNow.AddMinutes(7));
    }

    [Fact]
    public async Task Publishes_the_status_changes_from_initial_to_generating()
    {
        await using var spec = await IncidentSpec.Start();

        await spec.RaiseAlert();

        Assert.Equal(
            [("Initial", "Received"), ("Received", "Generating")],
            spec.StatusChanges.Select(x => (x.From, x.To)));
        Assert.Equal("Generating", spec.State.Status);
    }

    [Fact]
    public async Task Takes_the_source_system_as_raiser_when_no_submitter_is_known()
    {
        await using var spec = await IncidentSpec.Start();

        await spec.RaiseAlert(Alerts.Ssh(submittedBy: null));

        Assert.Equal("wazuh", spec.State.RaisedBy);
    }
}
