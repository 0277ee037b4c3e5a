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

        Rerun (2–3 minutes for `all`, under 1 minute with `--quick`; `--write-docs` rewrites this file,
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
          RabbitMQ's `beam.smp`, and everything else on the machine. "CPU per event/incident" divides CPU time
          by work done: it moves much less than a rate when other jobs share the machine. The benchmark
          process's share includes thread-pool spinning, so it is inflated when the process mostly waits.

        ## What bounds the figures (investigation of 2026-11-24)

        Single runs move a lot on this shared machine (notes flag windows where other jobs were busy);
        PostgreSQL's CPU per event or incident stayed within about ±15 % across a dozen runs. Found with the CPU
        split below, `perf record` on the PostgreSQL backends and on the benchmark process,
        and `pg_stat_activity` sampled every 10 ms during the saga rounds. Every measured window was
        CPU-bound (idle ≤ 17 %) except the paced latency run; commits are cheap here (`pg_test_fsync`:
        fdatasync 177 µs), so CPU per operation decides the ratios. Nothing in `src/` was changed by the benchmark.

        - **Single appends (ratio ≈ 0.3):** `es_append` costs PostgreSQL ≈ 1.1–1.2 ms CPU per single-event call
          against ≈ 0.23 ms for the raw INSERT. In a loop, `perf` puts ≈ 17 % of the function's time in
          re-planning its statements (custom plans chosen on every call: `GetCachedPlan` → `standard_planner`),
          ≈ 15 % in memory-context malloc/`brk`/`munmap` churn, ≈ 5 % in CHECK constraints (the type regex),
          the rest in the row lock, the dedup join, the hash chain and five index inserts. Declaring the
          function with `SET plan_cache_mode = force_generic_plan` cut it by 20–30 % in that loop. A function
          doing this much cannot reach 0.8 of a one-index INSERT on a CPU-bound machine; the ratio only
          approaches the goal where commit latency dominates (slow fsync, idle CPU).
        - **Batch path:** one loader is bound by one backend's CPU (≈ 94 % of a core, ≈ 70 µs per event);
          one loader per core uses both cores and reached 18–22k events/s in quiet runs, around the 20k/s
          goal (11–14k when other jobs were busy; two backends cost ≈ 80–95 µs per event: they share WAL
          insertion). Both rows are shown.
        - **Verify (≈ 135–175k/s in quiet runs, 85–120k/s when other jobs were busy):** one reader connection is a two-stage pipeline, the client ≈ 4 µs and
          PostgreSQL ≈ 3 µs CPU per event. `EventHasher.Compute` alone runs at ≈ 650k events/s, so about two
          thirds of the client's share is reading and materialising rows (strings for `data`/`metadata`,
          re-encoded to UTF-8 for hashing). Chains are per stream, so verifying stream-id partitions on one
          connection per core, and hashing the column bytes without the string round trip, should clear 200k/s.
        - **Saga (ratio ≈ 0.2):** the in-memory pipeline is bound by RabbitMQ plus the bus (≈ 2.2–2.7 ms CPU per
          incident each for `beam.smp` and the process); the PostgreSQL one adds ≈ 11–14 ms of PostgreSQL CPU
          and ≈ 5 ms of client CPU per incident (3 transitions). Sampled active backends: `es_append` is the
          top CPU statement (≈ a third of the backends' CPU samples); the `DELETE FROM outbox` after publish is
          a second synchronously committed transaction per transition (≈ 30 % of active samples, nearly all
          waiting on WAL flush); parse/plan of unprepared statements ≈ 10 % of PostgreSQL CPU. In the client,
          TLS on the loopback connection (`SslStream`, PostgreSQL has `ssl=on`, Npgsql defaults to
          `SSL Mode=Prefer`) is ≈ 14 % of the process's CPU, JSON (saga state, outbox bodies) ≈ 5–8 %.
          Npgsql `Max Auto Prepare=30` gave ≈ +10 % incidents/s in one quick comparison. Reaching 0.7 needs the PostgreSQL path's
          CPU per incident cut about threefold: one round trip per transition (the writes in one
          `NpgsqlBatch`), a cheaper `es_append`, the outbox delete with `synchronous_commit = off` (a lost
          delete only re-publishes a message consumers already deduplicate by id), and no TLS on loopback.
        - **Latency:** at 20 alerts/s the pipeline needs about half the machine; p50 was 27–49 ms and p99
          55–87 ms in quiet runs (pass), 113–188 ms when other jobs took the other half (miss). The goal
          holds only with headroom; the saga costs above are what to cut for margin.

        ## Changes since that investigation (2026-12-01)

        Applied, then measured by the `all` run below (machine busy with other test runs in most windows):
        - Saga: a transition's writes (events, timers, saga row, read model) in one `NpgsqlBatch` round trip, the outbox
          delete in one, auto-prepared statements, no TLS to a loopback PostgreSQL (`DB_SSL_MODE`, default `disable` there).
          PostgreSQL CPU per incident 14.4 → 6.4 ms, client 7.5 → 5.7 ms; ratio 0.24 → 0.33; p99 at 20 alerts/s 69 ms (pass).
          Still bound by PostgreSQL + client CPU: ≈ 12 ms per incident against ≈ 5 ms for the in-memory pipeline.
        - `es_append` (migration 0002): the chain hash computed inline (the SQL helper was never inlined) and an optimistic
          first pass (unlocked read, the lock taken by the guarded UPDATE/INSERT itself; anything unusual falls back to the
          locked path). PostgreSQL CPU per single append 1,393 → 630 µs; ratio 0.48 → 0.43 in this run (the raw baseline
          got cheaper too: TLS is off for both sides now). A function that locks, deduplicates and chains cannot reach 0.8
          of a one-index INSERT on a CPU-bound machine.
        - Verify (≈ 100k/s here): each stream partition's query is planned as a parallel sequential scan plus an on-disk
          sort (≈ 40 MB of temp files per partition on 169k events); an index scan on `(stream_id, version)` took 420 ms
          against ≈ 750 ms of CPU. That, and hashing column bytes instead of strings, is the next step towards 200k/s.
        - Ingest (0.22): ours is HTTP + key check + parse + validation + a dedup upsert in PostgreSQL + a confirmed publish
          per alert; the baseline is the confirmed publish alone. The dedup upsert (one PostgreSQL transaction per alert)
          is what the ratio pays for; batching the upserts of concurrent requests is the lever.
        - Runner (1.21 in this run, 1.08–1.18 before): ours adds the approval check against the event store, a fresh work
          directory, the JSON callback's parsing and the output archive to a ≈ 2.4 s ansible run; on a machine whose other
          jobs take both cores the extra ≈ 0.5 s is mostly waiting for CPU.
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

        // One table of every figure when several scenarios ran together (`all`); otherwise the last one stays.
        var summary = results.Count > 1 ? RenderSummary(results, machine) : Summary().Match(existing) is { Success: true } kept ? kept.Value : null;

        var text = new StringBuilder();
        text.AppendLine(Preface.TrimEnd()).AppendLine();
        if (summary is not null)
        {
            text.AppendLine(summary.TrimEnd()).AppendLine();
        }

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

    private static string RenderSummary(IReadOnlyList<ScenarioResult> results, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine("<!-- summary -->");
        text.AppendLine("## Every figure, one run").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC at commit {Tool("git", "rev-parse --short HEAD")} on: {machine}. Baselines ran in the same run; details per scenario below.").AppendLine();
        text.Append(ResultTable.Render(results.SelectMany(r => r.Rows)));
        text.AppendLine("<!-- /summary -->");
        return text.ToString();
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

    [GeneratedRegex(@"<!-- summary -->.*?<!-- /summary -->", RegexOptions.Singleline)]
    private static partial Regex Summary();

    [GeneratedRegex(@"<!-- scenario:(?<name>[a-z]+) -->.*?<!-- /scenario:\k<name> -->", RegexOptions.Singleline)]
    private static partial Regex Section();
}
