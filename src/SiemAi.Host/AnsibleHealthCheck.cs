using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SiemAi.Host;

/// <summary>For the runner role: ansible-playbook must be on PATH.</summary>
public sealed class AnsibleHealthCheck(HostRoles roles) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!roles.Has("runner"))
        {
            return Task.FromResult(HealthCheckResult.Healthy("runner role not active"));
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "ansible-playbook")));
        return Task.FromResult(found ? HealthCheckResult.Healthy("ansible-playbook found") : HealthCheckResult.Unhealthy("ansible-playbook is not on PATH"));
    }
}
