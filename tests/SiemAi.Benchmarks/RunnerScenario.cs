using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SiemAi.Contracts;
using SiemAi.EventStore;
using SiemAi.Runner;
using SiemAi.Testing;

namespace SiemAi.Benchmarks;

/// <summary>
/// A check run through SiemAi's runner (hash and approval check against the event store, fresh directory,
/// clean environment, JSON callback, report parsing, output archive) against a bare
/// <c>ansible-playbook --check --diff</c> of the same playbook on the same inventory, alternating, in one run;
/// then runs/s with the concurrency limit at 1, 2 and 4.
/// </summary>
public sealed class RunnerScenario(BenchmarkOptions options)
{
    public const string Name = "runner";

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        var rows = new List<BenchmarkRow>();
        var notes = new List<string>();
        var db = new EventStoreDatabase();
        await db.InitializeAsync();
        var root = Directory.CreateTempSubdirectory("siemai-bench-runner-").FullName;
        try
        {
            var target = Directory.CreateDirectory(Path.Combine(root, "target")).FullName;
            var yaml = Playbook(target);
            var inventory = Path.Combine(RepositoryRoot.Path, "playbooks", "inventories", "lab.ini");
            var bare = Path.Combine(root, "bare.yml");
            await File.WriteAllTextAsync(bare, yaml, ct);

            using var runner = Runner(db, root, inventory, limit: 2);
            var ours = new List<double>();
            var raw = new List<double>();
            await OursAsync(db, runner, yaml, ct); // warm-up: JIT, ansible's own caches
            await BareAsync(bare, inventory, ct);
            for (var i = 0; i < options.RunnerRounds; i++)
            {
                if (i % 2 == 0)
                {
                    ours.Add(await OursAsync(db, runner, yaml, ct));
                    raw.Add(await BareAsync(bare, inventory, ct));
                }
                else
                {
                    raw.Add(await BareAsync(bare, inventory, ct));
                    ours.Add(await OursAsync(db, runner, yaml, ct));
                }
            }

            var oursMedian = Median(ours);
            var rawMedian = Median(raw);
            rows.Add(new BenchmarkRow(Name, "check run wall time through SiemAi ÷ bare ansible-playbook --check (median)", oursMedian, "s", rawMedian, "ratio ≤ 1.1", oursMedian / rawMedian <= 1.1));
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Runner: {options.RunnerRounds} alternating runs per side of a 4-task playbook on the lab inventory (local connection); medians {oursMedian:0.000} s (ours) vs {rawMedian:0.000} s (bare `ansible-playbook -i lab.ini --check --diff`). Ours includes the approval check against the event store, the fresh work directory, the JSON callback and report parsing, and the output archive."));

            foreach (var limit in new[] { 1, 2, 4 })
            {
                using var limited = Runner(db, root, inventory, limit);
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, options.RunnerConcurrentRuns).Select(_ => OursAsync(db, limited, yaml, ct)));
                var rate = options.RunnerConcurrentRuns / clock.Elapsed.TotalSeconds;
                rows.Add(BenchmarkRow.Info(Name, $"runs/s, {options.RunnerConcurrentRuns} runs with RUNNER_MAX_CONCURRENT_RUNS={limit}", rate, "runs/s"));
            }

            notes.Add($"Runner: runs/s rows start {options.RunnerConcurrentRuns} runs at once; the limit queues the rest. On 2 cores ansible's own Python start-up (~1 s CPU) bounds it.");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            await db.DisposeAsync();
        }

        return new ScenarioResult(Name, rows, notes);
    }

    private static AnsibleRunner Runner(EventStoreDatabase db, string root, string inventory, int limit) => new(
        Microsoft.Extensions.Options.Options.Create(new RunnerOptions
        {
            InventoryPath = inventory,
            Lab = true,
            WorkRoot = Directory.CreateDirectory(Path.Combine(root, "work")).FullName,
            OutputArchivePath = Path.Combine(root, "output"),
            LibraryPath = Path.Combine(root, "library"),
            TimeoutSeconds = 300,
            MaxConcurrentRuns = limit,
        }),
        new RunApprovalCheck(db.Store),
        NullLogger<AnsibleRunner>.Instance);

    /// <summary>A remediation-shaped playbook: a file changed in check mode (diff), a line ensured, a fact checked, a message.</summary>
    private static string Playbook(string target) => $"""
        - name: Benchmark remediation
          hosts: lab
          gather_facts: false
          tasks:
            - name: Block list file
              ansible.builtin.copy:
                dest: {target}/blocklist.conf
                content: "deny 203.0.113.7\n"
                mode: "0644"
            - name: Ensure the deny line
              ansible.builtin.lineinfile:
                path: {target}/sshd_extra.conf
                line: "DenyUsers attacker"
                create: true
                mode: "0644"
            - name: Read the hostname
              ansible.builtin.command: hostname
              changed_when: false
            - name: Say what was done
              ansible.builtin.debug:
                msg: remediation checked
        """;

    private static async Task<double> OursAsync(EventStoreDatabase db, AnsibleRunner runner, string yaml, CancellationToken ct)
    {
        var incident = Guid.NewGuid();
        var sha = PlaybookHash.Of(yaml);
        var stream = new IncidentStreamWriter(db.Store, incident);
        await stream.ApprovedForCheckAsync(sha);
        var command = new RunPlaybook
        {
            IncidentId = incident,
            Timestamp = DateTimeOffset.UtcNow,
            RunId = Guid.NewGuid(),
            PlaybookYaml = yaml,
            PlaybookSha256 = sha,
            Mode = RunMode.Check,
        };
        var clock = Stopwatch.StartNew();
        var outcome = await runner.RunAsync(command, ct);
        var seconds = clock.Elapsed.TotalSeconds;
        if (outcome.Completed is not { Succeeded: true })
        {
            throw new InvalidOperationException($"benchmark run did not succeed: {(outcome.Failed?.Reason ?? outcome.Completed?.ResultJson)}");
        }

        return seconds;
    }

    private static async Task<double> BareAsync(string playbook, string inventory, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ansible-playbook") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-i", inventory, "--check", "--diff", playbook })
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bare ansible-playbook exited {process.ExitCode}: {await output}{await error}");
        }

        return seconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
