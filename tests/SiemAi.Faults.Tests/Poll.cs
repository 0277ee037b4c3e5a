namespace SiemAi.Faults.Tests;

/// <summary>The outage tests' one wait: poll a condition every 250 ms; past the bound, fail with what the test can show.</summary>
internal static class Poll
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan within, string what, Func<Task<string>> describe) =>
        UntilAsync(() => Task.FromResult(condition()), within, what, describe);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {within.TotalSeconds} s for {what}\n{await describe()}");
            }

            await Task.Delay(250);
        }
    }
}
