namespace SiemAi.Testing;

/// <summary>
/// Polls until a probe has an answer: the real host works asynchronously, so tests wait for what a user would
/// see (a row, a status) rather than sleeping. Times out with what was awaited and, when given, why it is late.
/// </summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan within, Func<string>? explain = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                var why = explain?.Invoke();
                throw new TimeoutException($"waited {within.TotalSeconds:0} s for {what}{(string.IsNullOrEmpty(why) ? string.Empty : "\n" + why)}");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(250));
        }
    }
}
