using Npgsql;
using SiemAi.EventStore;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

public sealed class When_SIEM_producers_publish_alerts(SpineFixture spine) : IClassFixture<SpineFixture>
{
    public static readonly string[] ExpectedStream = ["alert_received", "playbook_generated", "playbook_verified", "approval_requested"];

    [Fact]
    public async Task Two_hundred_alerts_become_two_hundred_incidents_each_with_its_events_in_order()
    {
        await using var host = spine.NewHost();
        await host.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..8];

        await Task.WhenAll(Enumerable.Range(0, 200).Select(n => spine.Bus.Publish(Alerts.Distinct(n, run))));

        await Alerts.WaitForAsync(
            async () => await spine.ScalarAsync($"SELECT count(*) FROM incidents WHERE status = 'AwaitingApproval' AND title LIKE '%{run}%'") == 200,
            TimeSpan.FromMinutes(2),
            () => $"not all 200 incidents reached AwaitingApproval:\n{host.Tail()}");
        var streams = await StreamsAsync(spine.Db, run);
        Assert.Equal(200, streams.Count);
        Assert.All(streams, s => Assert.Equal(ExpectedStream, s.Value));
        Assert.True((await new EventStoreVerifier(spine.Db).VerifyAsync()).Intact);
    }

    /// <summary>Each incident stream's event types in version order, for the incidents of one run.</summary>
    public static async Task<Dictionary<string, List<string>>> StreamsAsync(NpgsqlDataSource db, string run)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await RunStreams.ReadAsync(connection, run)).ToDictionary(s => s.Key, s => s.Value.Select(e => e.Type).ToList());
    }
}
