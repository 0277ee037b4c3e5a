using Xunit;
using Npgsql;
using SiemAi.EventStore;

namespace SiemAi.Testing;

/// <summary>A scratch database with the event store migrated, and data sources for the application role and the owner.</summary>
public sealed class EventStoreDatabase : IAsyncLifetime
{
    private ScratchDatabase? database;

    public ScratchDatabase Database => database ?? throw new InvalidOperationException("not initialised");
    public NpgsqlDataSource App { get; private set; } = null!;
    public NpgsqlDataSource Owner { get; private set; } = null!;
    public PostgresEventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await ScratchDatabase.CreateAsync("es");
        Owner = NpgsqlDataSource.Create(database.OwnerConnectionString);
        App = NpgsqlDataSource.Create(database.AppConnectionString);
        await new SchemaMigrator(Owner, ServiceSettings.Require("DB_USER")).MigrateAsync(EventStoreSchema.Migrations);
        Store = new PostgresEventStore(App);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Owner.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    public static EventData Event(string type = "alert_received", string data = """{"b": 2, "a": "x"}""", string actor = "service:test") =>
        new(Guid.NewGuid(), type, data, new EventMetadata { Actor = actor, CorrelationId = Guid.NewGuid() });
}
