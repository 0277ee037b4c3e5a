using SiemAi.EventStore;
using SiemAi.Incidents.Persistence;
using SiemAi.Ingestion.Incidents;
using SiemAi.Runner;

namespace SiemAi.Hosting;

/// <summary>Every module's schema migrations, in module order; the owner role applies them.</summary>
public static class AllMigrations
{
    public static IReadOnlyList<SchemaMigration> List { get; } =
    [
        .. EventStoreSchema.Migrations,
        .. IncidentSchema.Migrations,
        .. IngestionSchema.Migrations.Select(m => new SchemaMigration("ingestion", m.Version, m.Name, m.Sql)),
        .. RunnerSchema.Migrations,
    ];
}
