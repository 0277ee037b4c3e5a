using SiemAi.Contracts;

namespace SiemAi.EndToEnd.Tests;

public static class Alerts
{
    /// <summary>A producer's alert; <paramref name="n"/> makes host, address and rule distinct, so each opens its own incident.</summary>
    public static SiemAlert Distinct(int n, string run) => new()
    {
        AlertId = Guid.NewGuid(),
        Timestamp = DateTimeOffset.UtcNow,
        Source = "splunk-e2e",
        Title = $"SSH brute force {run} #{n}",
        Severity = "high",
        RuleId = $"5712-{n}",
        Host = $"web{n:D3}",
        SourceIp = $"203.0.{n / 250}.{n % 250 + 1}",
        MitreTechniques = ["T1110"],
    };

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(explain());
            }

            await Task.Delay(500);
        }
    }
}
