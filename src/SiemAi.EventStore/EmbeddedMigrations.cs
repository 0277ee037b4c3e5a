using System.Globalization;
using System.Reflection;

namespace SiemAi.EventStore;

/// <summary>A module's migrations shipped as embedded SQL files named <c>{prefix}NNNN_name.sql</c>, in version order.</summary>
public static class EmbeddedMigrations
{
    public static IReadOnlyList<SchemaMigration> Load(Assembly assembly, string module, string prefix) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new SchemaMigration(module, int.Parse(file[..4], CultureInfo.InvariantCulture), file[5..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
}
