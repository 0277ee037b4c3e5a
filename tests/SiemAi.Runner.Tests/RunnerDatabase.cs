using Npgsql;
using SiemAi.EventStore;
using SiemAi.Testing;

namespace SiemAi.Runner.Tests;

/// <summary>A migrated scratch database; the runner reads it through the application role, as in production.</summary>
public sealed class RunnerDatabase : IAsyncLifetime
{
    private ScratchDatabase? database;
    private NpgsqlDataSource? owner;

    public NpgsqlDataSource App { get; private set; } = null!;
    public PostgresEventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await ScratchDatabase.CreateAsync("runner");
        owner = NpgsqlDataSource.Create(database.OwnerConnectionString);
        App = NpgsqlDataSource.Create(database.AppConnectionString);
        await new SchemaMigrator(owner, ServiceSettings.Require("DB_USER")).MigrateAsync(EventStoreSchema.Migrations);
        Store = new PostgresEventStore(App);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (owner is not null)
        {
            await owner.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}
