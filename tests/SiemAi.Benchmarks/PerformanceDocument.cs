using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SiemAi.Benchmarks;

/// <summary>
/// Writes <c>docs/performance.md</c>: a fixed preface (kept here so a rerun keeps it), the machine,
/// and one section per scenario. Running one scenario replaces only its own section.
/// </summary>
public static partial class PerformanceDocument
{
    private const string Preface = """
        # Performance

        Figures measured by `tests/SiemAi.Benchmarks`, a console program (not a test: tests never assert
        wall-clock times). Each ratio compares our code with a raw baseline measured **in the same run on the
        same machine**, so the ratio means more than the absolute numbers, which move with the machine and
        with whatever else it is doing.

        Rerun (about 5 minutes for `all`, under 1 minute with `--quick`; `--write-docs` rewrites this file,
        replacing only the sections of the scenarios that ran):

        ```sh
        eval "$(bash infra/local/services.sh)"
        dotnet run -c Release --project tests/SiemAi.Benchmarks -- all --write-docs      # or: eventstore | saga, and --quick
        ```

        What is measured:

        - **eventstore** — a fresh scratch database. Single-event appends through
          `PostgresEventStore.AppendAsync(stream, ExpectedVersion.Any, [event])` from 8 concurrent writers over
          4,000 streams, against a raw Npgsql single-row `INSERT` of the same JSON into a table
          `(id uuid primary key, stream text, data jsonb, metadata jsonb)` with the same pool and concurrency,
          in alternating rounds (store/raw, raw/store, …) so drift on a shared machine hits both sides.
          Then the batch path `AppendBatchAsync` (500 streams × 10 events per call, one loader), which also
          loads the events `EventStoreVerifier.VerifyAsync()` then recomputes (warm cache).
        - **saga** — a fresh scratch database and a fresh RabbitMQ virtual host. `AlertReceived` is published
          directly (ingestion is measured elsewhere); two tiny stage consumers answer `GeneratePlaybook` and
          `VerifyPlaybook` at once, and completion is an `IncidentStatusChanged` to `AwaitingApproval` seen by a
          consumer. The same bus, definition (retry, partitioning, concurrency 32) and consumers run once with
          our PostgreSQL saga repository (saga row + event stream + read model + inbox + outbox in one
          transaction, outbox published after commit) and once with MassTransit's in-memory repository, in
          alternating rounds. Latency is alert publish → `AwaitingApproval` seen, at a paced 20 alerts/s.
        - CPU shares come from `/proc` (what `ps`/`top` read) over each measured window, in percent of one
          core: the benchmark process (it also runs the stage consumers and the saga), PostgreSQL backends,
          RabbitMQ's `beam.smp`, and everything else on the machine.
        """;

    public static string Render(string existing, IReadOnlyList<ScenarioResult> results, string machine)
    {
        var sections = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Section().Matches(existing))
        {
            sections[m.Groups["name"].Value] = m.Value;
        }

        foreach (var result in results)
        {
            sections[result.Scenario] = RenderSection(result, machine);
        }

        var text = new StringBuilder();
        text.AppendLine(Preface.TrimEnd()).AppendLine();
        foreach (var section in sections.Values)
        {
            text.AppendLine(section.TrimEnd()).AppendLine();
        }

        return text.ToString().TrimEnd() + "\n";
    }

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {memory:0} GiB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {Tool("psql", "--version")}, RabbitMQ {RabbitVersion()}; machine shared with other builds");
    }

    private static string RenderSection(ScenarioResult result, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"<!-- scenario:{result.Scenario} -->");
        text.AppendLine(CultureInfo.InvariantCulture, $"## Scenario `{result.Scenario}`").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC at commit {Tool("git", "rev-parse --short HEAD")} on: {machine}.").AppendLine();
        text.Append(ResultTable.Render(result.Rows)).AppendLine();
        foreach (var note in result.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"<!-- /scenario:{result.Scenario} -->");
        return text.ToString();
    }

    private static string RabbitVersion()
    {
        // rabbitmqctl needs root; the package version says the same without it.
        var version = Tool("dpkg-query", "-W -f=${Version} rabbitmq-server");
        return version.Length > 0 ? version : "unknown";
    }

    private static string Tool(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return string.Empty;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty; // the tool is not installed; the document says "unknown"
        }
    }

    [GeneratedRegex(@"<!-- scenario:(?<name>[a-z]+) -->.*?<!-- /scenario:\k<name> -->", RegexOptions.Singleline)]
    private static partial Regex Section();
}
