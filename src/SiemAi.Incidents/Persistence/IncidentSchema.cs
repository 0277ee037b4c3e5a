using System.Globalization;
using SiemAi.EventStore;

namespace SiemAi.Incidents.Persistence;

/// <summary>The incident module's migrations (embedded <c>Sql/NNNN_name.sql</c>), run by the event store's migrator.</summary>
public static class IncidentSchema
{
    public const string Module = "incidents";

    public static IReadOnlyList<SchemaMigration> Migrations { get; } = Load();

    private static List<SchemaMigration> Load()
    {
        var assembly = typeof(IncidentSchema).Assembly;
        const string prefix = "SiemAi.Incidents.Sql.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new SchemaMigration(Module, int.Parse(file[..4], CultureInfo.InvariantCulture), file[5..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }
}
