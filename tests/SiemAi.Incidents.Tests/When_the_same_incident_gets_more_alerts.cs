using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_same_incident_gets_more_alerts
{
    public static TheoryData<string> States => ["Generating", "Verifying", "AwaitingApproval", "CheckRunning", "CheckSucceeded", "Blocked", "Denied", "Expired"];

    [Theory]
    [MemberData(nameof(States))]
    public async Task Counts_and_records_the_alert_whatever_the_state(string state)
    {
        await using var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
        await Reach(spec, state);
        var statusChanges = spec.StatusChanges.Count;
        var requests = (spec.Published<GeneratePlaybook>().Count, spec.Published<VerifyPlaybook>().Count, spec.Published<RunPlaybook>().Count);
        var repeat = Alerts.Ssh() with { ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(5) };

        await spec.RaiseAlert(repeat);

        Assert.Equal(state, spec.CurrentState);
        Assert.Equal(2, spec.State.AlertCount);
        Assert.Equal(repeat.ReceivedAt, spec.State.LastSeenAt);
        var received = spec.Events("alert_received");
        Assert.Equal(2, received.Count);
        var data = IncidentSpec.Data(received[1]);
        Assert.Equal(repeat.AlertId, data.GetProperty("alert_id").GetGuid());
        Assert.Equal(2, data.GetProperty("alert_count").GetInt32());
        Assert.Equal("source:wazuh", received[1].Actor);
        Assert.Equal(statusChanges, spec.StatusChanges.Count);
        Assert.Equal(requests, (spec.Published<GeneratePlaybook>().Count, spec.Published<VerifyPlaybook>().Count, spec.Published<RunPlaybook>().Count));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Keeps_the_latest_sighting_when_alerts_arrive_out_of_order()
    {
        await using var spec = await IncidentSpec.Start();
        var first = Alerts.Ssh();
        await spec.RaiseAlert(first);

        await spec.RaiseAlert(Alerts.Ssh() with { ReceivedAt = first.ReceivedAt.AddMinutes(10) });
        await spec.RaiseAlert(Alerts.Ssh() with { ReceivedAt = first.ReceivedAt.AddMinutes(5) });

        Assert.Equal(3, spec.State.AlertCount);
        Assert.Equal(first.ReceivedAt.AddMinutes(10), spec.State.LastSeenAt);
        Assert.Equal(first.ReceivedAt, spec.State.CreatedAt);
        Assert.Equal(first.AlertId, spec.State.Alert!.AlertId);
        Assert.Equal([1, 2, 3], spec.Events("alert_received").Select(e => IncidentSpec.Data(e).GetProperty("alert_count").GetInt32()));
    }

    [Fact]
    public async Task Keeps_the_first_submitter_as_the_raiser()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();

        await spec.RaiseAlert(Alerts.Ssh(submittedBy: "api-key:siem-west"));

        Assert.Equal(IncidentSpec.Raiser, spec.State.RaisedBy);
    }

    private static async Task Reach(IncidentSpec spec, string state)
    {
        switch (state)
        {
            case "Generating":
                await spec.RaiseAlert();
                break;
            case "Verifying":
                await spec.RaiseAlert();
                await spec.Generate();
                break;
            case "AwaitingApproval":
                await spec.ReachAwaitingApproval();
                break;
            case "CheckRunning":
                await spec.ReachCheckRunning();
                break;
            case "CheckSucceeded":
                await spec.ReachCheckSucceeded();
                break;
            case "Blocked":
                await spec.RaiseAlert();
                await spec.Generate();
                await spec.Verify(SafetyVerdict.Block);
                break;
            case "Denied":
                await spec.ReachAwaitingApproval();
                await spec.Decide("carol", ApprovalDecision.Deny);
                break;
            case "Expired":
                await spec.ReachAwaitingApproval();
                await spec.FireTimer(TimerKinds.ApprovalExpiry);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, "no route to this state in the spec");
        }

        Assert.Equal(state, spec.CurrentState);
    }
}
