using SiemAi.Contracts;

namespace SiemAi.EndToEnd.Tests;

public sealed class When_many_messages_hit_one_incident(SpineFixture spine) : IClassFixture<SpineFixture>
{
    [Fact]
    public async Task Fifty_simultaneous_alerts_for_one_incident_on_two_hosts_lose_no_update()
    {
        await using var first = spine.NewHost("saga");
        await using var second = spine.NewHost("saga");
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        var incidentId = Guid.NewGuid();
        var template = Alerts.Distinct(1, "fifty");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(n => spine.Bus.Publish(new AlertReceived
        {
            IncidentId = incidentId,
            Timestamp = DateTimeOffset.UtcNow,
            Alert = new NormalizedAlert
            {
                AlertId = Guid.NewGuid(),
                SourceSystem = "e2e",
                Format = "generic",
                Title = template.Title,
                Severity = Severity.High,
                Asset = "web001",
                ObservedAt = DateTimeOffset.UtcNow,
                ReceivedAt = DateTimeOffset.UtcNow,
                Fingerprint = "fifty",
                RawPayload = "{}",
            },
        })));

        var stream = $"'incident-{incidentId}'";
        await Alerts.WaitForAsync(
            async () => await spine.ScalarAsync($"SELECT count(*) FROM events WHERE stream_id = {stream} AND type = 'alert_received'") == 50
                && await spine.ScalarAsync($"SELECT count(*) FROM incidents WHERE incident_id = '{incidentId}' AND status = 'AwaitingApproval'") == 1,
            TimeSpan.FromMinutes(1),
            () => $"alerts recorded: {spine.ScalarAsync($"SELECT count(*) FROM events WHERE stream_id = {stream}").Result}\n{first.Tail(15)}\n{second.Tail(15)}");
        Assert.Equal(50, await spine.ScalarAsync($"SELECT alert_count FROM incidents WHERE incident_id = '{incidentId}'"));
        Assert.Equal(50, await spine.ScalarAsync($"SELECT (data->>'alertCount')::int FROM incident_sagas WHERE incident_id = '{incidentId}'"));
        var versions = await spine.ScalarAsync($"SELECT max(version) - count(*) FROM events WHERE stream_id = {stream}");
        Assert.Equal(0, versions);
        Assert.Equal(53, await spine.ScalarAsync($"SELECT count(*) FROM events WHERE stream_id = {stream}"));
    }
}
