using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SiemAi.Ingestion.Security;

/// <summary>
/// One fixed window per API key name (ASP.NET Core's System.Threading.RateLimiting). Applied after the key is
/// authenticated, so anonymous traffic cannot use up a producer's allowance. Rebuilt when RATE_LIMIT changes.
/// </summary>
public sealed class KeyRateLimiter(IOptionsMonitor<IngestionOptions> options) : IDisposable
{
    private readonly Lock gate = new();
    private string? currentSpec;
    private PartitionedRateLimiter<string>? limiter;

    /// <summary>Null when allowed; otherwise how long the caller should wait.</summary>
    public TimeSpan? TryAcquire(string keyName)
    {
        var active = Current();
        if (active is null)
        {
            return null;
        }

        using var lease = active.AttemptAcquire(keyName);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    private PartitionedRateLimiter<string>? Current()
    {
        var spec = options.CurrentValue.RateLimit;
        lock (gate)
        {
            if (spec == currentSpec)
            {
                return limiter;
            }

            limiter?.Dispose();
            currentSpec = spec;
            limiter = RateLimitSpec.TryParse(spec, out var parsed) && parsed is not null
                ? PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = parsed.Permits,
                    Window = parsed.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }))
                : null;
            return limiter;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            limiter?.Dispose();
            limiter = null;
        }
    }
}
