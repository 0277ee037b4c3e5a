using SiemAi.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

/// <summary>
/// A private directory per test: the files playbooks target, the output archive, the playbook library and
/// the runs' work root. Builds runners on the shipped lab inventory unless a test gives another.
/// </summary>
public sealed class Sandbox : IDisposable
{
    public Sandbox()
    {
        Root = Directory.CreateTempSubdirectory("siemai-runner-test-").FullName;
        Target = Directory.CreateDirectory(Path.Combine(Root, "target")).FullName;
        Work = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
        Output = Path.Combine(Root, "output");
        Library = Path.Combine(Root, "library");
    }

    public string Root { get; }

    /// <summary>Where test playbooks create and change files.</summary>
    public string Target { get; }

    public string Work { get; }
    public string Output { get; }
    public string Library { get; }

    public static string LabInventory => Path.Combine(RepositoryRoot, "playbooks", "inventories", "lab.ini");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public RunnerOptions Options(Action<RunnerOptions>? configure = null)
    {
        var options = new RunnerOptions
        {
            InventoryPath = LabInventory,
            Lab = true,
            WorkRoot = Work,
            OutputArchivePath = Output,
            LibraryPath = Library,
            TimeoutSeconds = 120,
            MaxConcurrentRuns = 2,
            // The lab's local connection makes the controller's sandbox the managed host: show it the test's targets
            // (read-only for check runs; writable for an approved apply).
            SandboxReadOnlyPaths = [Target],
            SandboxWritablePaths = [Target],
        };
        configure?.Invoke(options);
        return options;
    }

    public AnsibleRunner Runner(EventStoreDatabase db, Action<RunnerOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(configure)), new RunApprovalCheck(db.Store), NullLogger<AnsibleRunner>.Instance);

    public string WriteInventory(string text)
    {
        var path = Path.Combine(Root, $"inventory-{Guid.NewGuid():N}.ini");
        File.WriteAllText(path, text);
        return path;
    }

    public static RunPlaybook Command(Guid incidentId, string yaml, RunMode mode = RunMode.Check, string? sha256 = null) => new()
    {
        IncidentId = incidentId,
        Timestamp = DateTimeOffset.UtcNow,
        RunId = Guid.NewGuid(),
        PlaybookYaml = yaml,
        PlaybookSha256 = sha256 ?? PlaybookHash.Of(yaml),
        Mode = mode,
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SiemAi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SiemAi.sln not found above the test output directory.");
    }
}
