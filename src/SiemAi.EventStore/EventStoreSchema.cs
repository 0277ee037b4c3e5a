namespace SiemAi.EventStore;

/// <summary>The event store's own migrations, shipped as embedded SQL files (<c>Sql/NNNN_name.sql</c>).</summary>
public static class EventStoreSchema
{
    public const string Module = "eventstore";

    public static IReadOnlyList<SchemaMigration> Migrations { get; } = EmbeddedMigrations.Load(typeof(EventStoreSchema).Assembly, Module, "SiemAi.EventStore.Sql.");
}
