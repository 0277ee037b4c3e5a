using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SiemAi.EventStore;
using SiemAi.Hosting;

namespace SiemAi.Host;

/// <summary>Ready when PostgreSQL answers as the application role and no migration is pending.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await SchemaMigrator.PendingAsync(dataSource, AllMigrations.List, cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("PostgreSQL answers; schema is current")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending: {string.Join(", ", pending.Select(m => $"{m.Module}/{m.Version}"))}");
        }
        catch (NpgsqlException ex)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", ex);
        }
    }
}
