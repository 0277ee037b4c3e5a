using SiemAi.EventStore;

namespace SiemAi.Incidents.Persistence;

/// <summary>The incident module's migrations (embedded <c>Sql/NNNN_name.sql</c>), run by the event store's migrator.</summary>
public static class IncidentSchema
{
    public const string Module = "incidents";

    public static IReadOnlyList<SchemaMigration> Migrations { get; } = EmbeddedMigrations.Load(typeof(IncidentSchema).Assembly, Module, "SiemAi.Incidents.Sql.");
}
