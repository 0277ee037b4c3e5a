using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SiemAi.Incidents.Model;

namespace SiemAi.Incidents.Tests;

/// <summary>
/// The dependency rule of docs/architecture.md, read from the csproj graph and the sources: which project may
/// reference which, which project owns which table, and that event and status names are spelled in the model only.
/// </summary>
public sealed partial class When_the_dependency_rule_is_checked
{
    /// <summary>Everyone may reference these; they reference no module.</summary>
    private static readonly HashSet<string> Foundation = ["SiemAi.Contracts", "SiemAi.EventStore", "SiemAi.Incidents.Model", "SiemAi.Http"];

    /// <summary>Composition roots: they assemble modules and may reference and query anything.</summary>
    private static readonly HashSet<string> Composition = ["SiemAi.Host", "SiemAi.Hosting", "SiemAi.Cli"];

    private static readonly HashSet<string> Modules = ["SiemAi.Incidents", "SiemAi.Ingestion", "SiemAi.Runner", "SiemAi.Approvals", "SiemAi.Audit", "SiemAi.Generation", "SiemAi.Safety"];

    /// <summary>Module → module references the architecture allows, each with its reason.</summary>
    private static readonly Dictionary<(string From, string To), string> AllowedModuleReferences = new()
    {
        [("SiemAi.Approvals", "SiemAi.Audit")] = "the auditors' HTTP endpoints serve the audit module's replay and verification",
    };

    /// <summary>Tables a module reads although another module owns them, each with its reason.</summary>
    private static readonly Dictionary<(string Project, string Table), string> AllowedForeignTables = new()
    {
        [("SiemAi.Approvals", "incidents")] = "the incidents read model is written for the API and review pages to query",
        [("SiemAi.Approvals", "incident_sagas")] = "remaining (#17): the read model does not carry the saga's details yet",
    };

    [Fact]
    public void Modules_reference_only_the_foundation_and_the_listed_exceptions()
    {
        var wrong = new List<string>();
        foreach (var (project, references) in ProjectGraph())
        {
            foreach (var reference in references)
            {
                var allowed = Composition.Contains(project)
                    || Foundation.Contains(reference)
                    || AllowedModuleReferences.ContainsKey((project, reference))
                    || (!Modules.Contains(reference) && !Composition.Contains(reference) && !Foundation.Contains(project));
                if (Foundation.Contains(project) && !Foundation.Contains(reference))
                {
                    allowed = false;
                }

                if (!allowed)
                {
                    wrong.Add($"{project} → {reference}");
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void No_module_queries_a_table_another_module_owns()
    {
        var owners = new Dictionary<string, string>();
        foreach (var sql in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.sql", SearchOption.AllDirectories).Where(Source))
        {
            foreach (Match m in CreateTable().Matches(File.ReadAllText(sql)))
            {
                owners[m.Groups[1].Value] = ProjectOf(sql);
            }
        }

        Assert.Contains("incidents", owners.Keys);
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories).Where(Source))
        {
            var project = ProjectOf(file);
            if (Composition.Contains(project))
            {
                continue;
            }

            foreach (Match m in TableUse().Matches(File.ReadAllText(file)))
            {
                var table = m.Groups[1].Value;
                if (owners.TryGetValue(table, out var owner) && owner != project && owner != "SiemAi.EventStore" && !AllowedForeignTables.ContainsKey((project, table)))
                {
                    wrong.Add($"{Path.GetRelativePath(Root, file)} queries {table} (owned by {owner})");
                }
            }
        }

        Assert.Empty(wrong.Distinct());
    }

    [Fact]
    public void Event_and_status_names_are_spelled_in_the_model_only()
    {
        // IncidentStatus.None is a replay before any event: never stored, and "None" is also Jinja's null literal.
        var names = IncidentEvents.Names
            .Concat(Enum.GetNames<IncidentStatus>().Where(n => n != nameof(IncidentStatus.None)))
            .ToHashSet(StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories).Where(Source))
        {
            if (ProjectOf(file) == "SiemAi.Incidents.Model")
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match m in StringLiteral().Matches(lines[i]))
                {
                    if (names.Contains(m.Groups[1].Value))
                    {
                        wrong.Add($"{Path.GetRelativePath(Root, file)}:{i + 1} \"{m.Groups[1].Value}\"");
                    }
                }
            }
        }

        Assert.Empty(wrong);
    }

    private static IEnumerable<(string Project, List<string> References)> ProjectGraph() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(csproj => (Path.GetFileNameWithoutExtension(csproj), XDocument.Load(csproj).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList()));

    private static bool Source(string path) => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}");

    private static string ProjectOf(string path) => Path.GetRelativePath(Path.Combine(Root, "src"), path).Split(Path.DirectorySeparatorChar)[0];

    private static string Root { get; } = RootOf();

    private static string RootOf([CallerFilePath] string source = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    [GeneratedRegex(@"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)")]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)\b")]
    private static partial Regex TableUse();

    [GeneratedRegex("\"([A-Za-z_]+)\"")]
    private static partial Regex StringLiteral();
}
