using System.Diagnostics;
using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// A private PostgreSQL primary with a synchronous streaming standby, a scratch database on the pair
/// (<c>DB_HOST=primary:port,standby:port</c>), a virtual host and the real host on them; and the failover itself:
/// the primary killed (SIGKILL to every process) and, after a failover manager's detection time, the standby promoted.
/// Shared by the failover tests so each states only its traffic and what must survive.
/// </summary>
public sealed class PostgresFailoverRig : IAsyncDisposable
{
    /// <summary>How long the failed primary goes unnoticed before the standby is promoted: a failover manager's detection time.</summary>
    public static readonly TimeSpan DetectionDelay = TimeSpan.FromSeconds(3);

    private PostgresFailoverRig()
    {
    }

    public PrivatePostgresCluster Primary { get; private set; } = null!;
    public PrivatePostgresCluster Standby { get; private set; } = null!;
    public ScratchDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost VirtualHost { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;

    /// <summary>When the primary was killed and when the standby's promotion returned; how long <c>pg_ctl promote</c> took.</summary>
    public DateTimeOffset KilledAt { get; private set; }
    public DateTimeOffset PromotedAt { get; private set; }
    public TimeSpan Promoting { get; private set; }

    public static async Task<PostgresFailoverRig> StartAsync(string roles, string ingestKey, Action<Dictionary<string, string>>? configure = null)
    {
        var rig = new PostgresFailoverRig();
        try
        {
            rig.Primary = await PrivatePostgresCluster.StartAsync();
            rig.Standby = await rig.Primary.StartStandbyAsync(synchronous: true);
            rig.Database = await ScratchDatabase.CreateAsync("pgf", rig.Primary.WithStandby(rig.Standby));
            rig.VirtualHost = await RabbitVirtualHost.CreateAsync("pgf");
            var env = HostEnvironment.For(rig.Database, rig.VirtualHost, roles, ingestKey);
            env["Safety__SyntaxCheck"] = "false";
            env["RATE_LIMIT"] = "off";
            configure?.Invoke(env);
            rig.Host = new HostProcess(env);
            await rig.Host.StartAsync(TimeSpan.FromSeconds(120));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public Task KillPrimaryAsync()
    {
        KilledAt = DateTimeOffset.UtcNow;
        return Primary.KillAsync();
    }

    /// <summary>Waits out the detection time after the kill, then promotes the standby.</summary>
    public async Task PromoteStandbyAsync()
    {
        await Task.Delay(DetectionDelay - (DateTimeOffset.UtcNow - KilledAt) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        var promoting = Stopwatch.StartNew();
        await Standby.PromoteAsync();
        PromotedAt = DateTimeOffset.UtcNow;
        Promoting = promoting.Elapsed;
    }

    /// <summary>Messages a consumer gave up on: each is an alert, a decision or a transition the pipeline dropped.</summary>
    public async Task<string> ErrorQueuesAsync()
    {
        var queues = new[] { "siem-alert_error", "incident-saga_error", "generate-playbook_error", "verify-playbook_error" };
        var depths = await Task.WhenAll(queues.Select(async q => $"{q}: {(await VirtualHost.QueueDepthAsync(q))?.ToString() ?? "none"}"));
        return "error queues: " + string.Join(", ", depths);
    }

    /// <summary>The host's whole log, kept after the run: the tail rarely reaches back to the failover.</summary>
    public async Task<string> KeepHostLogAsync(string run)
    {
        var path = Path.Combine(Path.GetTempPath(), $"siemai-pg-failover-{run}.log");
        await File.WriteAllTextAsync(path, Host.Log);
        return path;
    }

    public string LogTails() =>
        $"--- host log tail:\n{Host.Tail()}\n--- old primary log tail:\n{Primary.LogTail(10)}\n--- standby log tail:\n{Standby.LogTail(15)}";

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (VirtualHost is not null)
        {
            await VirtualHost.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (Standby is not null)
        {
            await Standby.DisposeAsync();
        }

        if (Primary is not null)
        {
            await Primary.DisposeAsync();
        }
    }
}
