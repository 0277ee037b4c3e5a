using SiemAi.EventStore;
using SiemAi.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SiemAi.Runner.Tests;

/// <summary>A host wired the way SiemAi.Host wires the runner: AddRunner + AddRunnerConsumers on the MassTransit test harness.</summary>
public static class RunnerHost
{
    public static IHost Build(EventStoreDatabase db, IDictionary<string, string?> settings)
    {
        // The runner's own table (run ledger), next to the event store the fixture migrated.
        new SchemaMigrator(db.Owner, ServiceSettings.Require("DB_USER")).MigrateAsync(RunnerSchema.Migrations).GetAwaiter().GetResult();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Sandbox.RepositoryRoot,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(db.App);
        builder.AddRunner();
        builder.Services.AddMassTransitTestHarness(bus =>
        {
            bus.AddRunnerConsumers();
            // Inactivity: a loaded CI machine can pause the bus for seconds between the ledger claim and the answer.
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(90), testInactivityTimeout: TimeSpan.FromSeconds(5));
        });
        return builder.Build();
    }

    public static Dictionary<string, string?> Settings(Sandbox sandbox) => new()
    {
        ["Runner:InventoryPath"] = "playbooks/inventories/lab.ini",
        ["Runner:Lab"] = "true",
        ["Runner:WorkRoot"] = sandbox.Work,
        ["Runner:OutputArchivePath"] = sandbox.Output,
        ["Runner:LibraryPath"] = sandbox.Library,
        ["Runner:TimeoutSeconds"] = "120",
        ["Runner:SandboxReadOnlyPaths:0"] = sandbox.Target,
        ["Runner:SandboxWritablePaths:0"] = sandbox.Target,
    };
}
