using SiemAi.EventStore;

namespace SiemAi.Runner;

/// <summary>The runner module's migrations (embedded <c>Sql/NNNN_name.sql</c>), run by the event store's migrator.</summary>
public static class RunnerSchema
{
    public const string Module = "runner";

    public static IReadOnlyList<SchemaMigration> Migrations { get; } = EmbeddedMigrations.Load(typeof(RunnerSchema).Assembly, Module, "SiemAi.Runner.Sql.");
}
