namespace SiemAi.EventStore;

/// <summary>The event store's own migrations, shipped as embedded SQL files (<c>Sql/NNNN_name.sql</c>).</summary>
public static class EventStoreSchema
{
    public const string Module = "eventstore";

    public static IReadOnlyList<SchemaMigration> Migrations { get; } = Load();

    private static List<SchemaMigration> Load()
    {
        var assembly = typeof(EventStoreSchema).Assembly;
        const string prefix = "SiemAi.EventStore.Sql.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new SchemaMigration(Module, int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file[5..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }
}
