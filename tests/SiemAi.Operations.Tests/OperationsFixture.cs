using SiemAi.Testing;

namespace SiemAi.Operations.Tests;

/// <summary>A scratch database and RabbitMQ virtual host for hosts started with operators' settings (TLS, secret files).</summary>
public sealed class OperationsFixture : IAsyncLifetime
{
    public ScratchDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost VirtualHost { get; private set; } = null!;
    public string Scratch { get; } = Directory.CreateTempSubdirectory("siemai-ops-").FullName;

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync("ops");
        VirtualHost = await RabbitVirtualHost.CreateAsync("ops");
    }

    /// <summary>Ingestion + saga, with the ingest key <paramref name="ingestKey"/>.</summary>
    public Dictionary<string, string> Environment(string ingestKey) =>
        HostEnvironment.For(Database, VirtualHost, "ingestion,saga", ingestKey);

    /// <summary>Starts a host that is expected to refuse to start; returns what it printed.</summary>
    public static async Task<string> RefusedStartAsync(Dictionary<string, string> environment)
    {
        await using var host = new HostProcess(environment);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("exited", refused.Message, StringComparison.Ordinal);
        return host.Log;
    }

    public async Task DisposeAsync()
    {
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(Scratch, recursive: true);
    }
}
