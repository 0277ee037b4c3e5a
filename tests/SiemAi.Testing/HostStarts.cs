namespace SiemAi.Testing;

/// <summary>Starting a host that is expected to die while it starts (fault injection, kills).</summary>
public static class HostStarts
{
    /// <summary>
    /// With a crash hook on, the host resumes pending work the moment it starts and may crash again before
    /// it reports ready: that is the point of such a test, so starting is simply tried again.
    /// </summary>
    public static async Task StartTolerantAsync(this HostProcess host, int attempts = 30, TimeSpan? readyWithin = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await host.StartAsync(readyWithin);
                return;
            }
            catch (InvalidOperationException) when (host.HasExited && attempt < attempts)
            {
                await Task.Delay(200);
            }
        }
    }
}
