using System.Globalization;

namespace SiemAi.Incidents.Persistence;

/// <summary>
/// Crash-safety test hook: with <c>SIEMAI_FAULT_CRASH_AFTER_COMMIT</c> set to a probability (0..1),
/// the process kills itself right after a transition commits and before its messages are published,
/// the worst moment for an outbox. Off unless that variable is set.
/// </summary>
public static class FaultInjection
{
    private static readonly double CrashAfterCommit =
        double.TryParse(Environment.GetEnvironmentVariable("SIEMAI_FAULT_CRASH_AFTER_COMMIT"), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0;

    public static void AfterCommit()
    {
        if (CrashAfterCommit > 0 && Random.Shared.NextDouble() < CrashAfterCommit)
        {
            Environment.FailFast("SIEMAI_FAULT_CRASH_AFTER_COMMIT: crashing after commit, before publish");
        }
    }
}
