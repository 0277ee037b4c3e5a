using SiemAi.Benchmarks;
using SiemAi.Testing;

// Usage: dotnet run -c Release --project tests/SiemAi.Benchmarks -- [eventstore|saga|ingest|runner|all] [--quick] [--write-docs]
var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var options = new BenchmarkOptions(Quick: args.Contains("--quick"));
var writeDocs = args.Contains("--write-docs");
if (scenario is not ("eventstore" or "saga" or "ingest" or "runner" or "all") || args.Any(a => a.StartsWith("--", StringComparison.Ordinal) && a is not ("--quick" or "--write-docs")))
{
    Console.Error.WriteLine("usage: SiemAi.Benchmarks [eventstore|saga|ingest|runner|all] [--quick] [--write-docs]");
    return 2;
}

// Fail early, with the script's name, rather than halfway through a run.
foreach (var name in new[] { "DB_USER", "DB_PASSWORD", "DB_OWNER", "DB_OWNER_PASSWORD", "RABBITMQ_USER", "RABBITMQ_PASSWORD" })
{
    ServiceSettings.Require(name);
}

#if DEBUG
Console.Error.WriteLine("warning: a Debug build; run with -c Release for figures worth comparing");
#endif

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var machine = PerformanceDocument.Machine();
Console.Error.WriteLine($"machine: {machine}");
var results = new List<ScenarioResult>();
var clock = System.Diagnostics.Stopwatch.StartNew();
if (scenario is "eventstore" or "all")
{
    Console.Error.WriteLine("eventstore: single appends vs raw INSERT, batch path, verify ...");
    results.Add(await new EventStoreScenario(options).RunAsync(cancel.Token));
}

if (scenario is "saga" or "all")
{
    Console.Error.WriteLine("saga: PostgreSQL repository vs in-memory repository on RabbitMQ, then paced latency ...");
    results.Add(await new SagaScenario(options).RunAsync(cancel.Token));
}

if (scenario is "ingest" or "all")
{
    Console.Error.WriteLine("ingest: webhook through the host vs raw confirmed publish, syslog UDP rates, storm ...");
    results.Add(await new IngestScenario(options).RunAsync(cancel.Token));
}

if (scenario is "runner" or "all")
{
    Console.Error.WriteLine("runner: check runs through SiemAi vs bare ansible-playbook, then concurrency limits ...");
    results.Add(await new RunnerScenario(options).RunAsync(cancel.Token));
}

Console.WriteLine();
Console.WriteLine(ResultTable.Render(results.SelectMany(r => r.Rows)));
foreach (var note in results.SelectMany(r => r.Notes.Select(n => $"[{r.Scenario}] {n}")))
{
    Console.WriteLine($"- {note}");
}

Console.WriteLine($"total {clock.Elapsed.TotalSeconds:0} s{(options.Quick ? " (--quick: smaller sizes, figures are indicative only)" : string.Empty)}");
if (writeDocs)
{
    var path = Path.Combine(RepositoryRoot.Path, "docs", "performance.md");
    var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : string.Empty;
    await File.WriteAllTextAsync(path, PerformanceDocument.Render(existing, results, machine + (options.Quick ? " — `--quick` run" : string.Empty)));
    Console.WriteLine($"wrote {path}");
}

return 0;
