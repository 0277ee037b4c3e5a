using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

public sealed class When_the_host_crashes(SpineFixture spine) : IClassFixture<SpineFixture>
{
    [Fact]
    public async Task Kill_nine_at_random_moments_and_crashes_right_after_commit_lose_and_duplicate_nothing()
    {
        // Besides our kills, the host kills itself after 3% of commits, before publishing: the outbox's worst moment.
        await using var host = spine.NewHost(extra: new Dictionary<string, string> { ["SIEMAI_FAULT_CRASH_AFTER_COMMIT"] = "0.03" });
        await StartTolerantAsync(host);
        var run = Guid.NewGuid().ToString("N")[..8];
        var publishing = Task.WhenAll(Enumerable.Range(0, 200).Select(n => spine.Bus.Publish(Alerts.Distinct(n, run))));

        var kills = 0;
        var random = new Random();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            var done = await spine.ScalarAsync($"SELECT count(*) FROM incidents WHERE status = 'AwaitingApproval' AND title LIKE '%{run}%'");
            if (done == 200 && kills >= 5)
            {
                break;
            }

            if (kills < 5 && done < 200)
            {
                await Task.Delay(random.Next(300, 2500));
                await host.KillAsync();
                kills++;
            }
            else
            {
                await Task.Delay(500);
            }

            if (host.HasExited)
            {
                await StartTolerantAsync(host);
            }
        }

        await publishing;
        Assert.True(kills >= 5, $"only {kills} kills happened");
        Assert.True(host.Starts > kills, $"the host started {host.Starts} times for {kills} kills");
        var streams = await When_SIEM_producers_publish_alerts.StreamsAsync(spine.Db, run);
        Assert.True(streams.Count == 200, $"{streams.Count} incidents of 200; host log:\n{host.Tail()}");
        Assert.All(streams, s => Assert.Equal(When_SIEM_producers_publish_alerts.ExpectedStream, s.Value));
        Assert.Equal(0, await spine.ScalarAsync("SELECT count(*) FROM (SELECT stream_id, type FROM events GROUP BY 1, 2 HAVING count(*) > 1) d"));
    }

    /// <summary>
    /// With the crash hook on, the host resumes pending work the moment it starts and may crash again before
    /// it reports ready: that is the point of the test, so starting is simply tried again.
    /// </summary>
    private static async Task StartTolerantAsync(HostProcess host)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await host.StartAsync();
                return;
            }
            catch (InvalidOperationException) when (host.HasExited && attempt < 30)
            {
                await Task.Delay(200);
            }
        }
    }
}
