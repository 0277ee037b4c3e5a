using System.Globalization;

namespace SiemAi.Benchmarks;

/// <summary>
/// CPU time per party over a measured window, from <c>/proc</c> (the data <c>ps</c> and <c>top</c> show):
/// this benchmark process, PostgreSQL backends, RabbitMQ's <c>beam.smp</c>, everything else, and idle.
/// When a goal is missed this says which party the cores were busy with.
/// </summary>
public sealed class CpuSampler
{
    // USER_HZ is 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private readonly int self = Environment.ProcessId;
    private Snapshot start = new(0, 0, []);
    private DateTime startedAt;

    public static bool Available => File.Exists("/proc/stat");

    public void Start()
    {
        start = Take(self);
        startedAt = DateTime.UtcNow;
    }

    /// <summary>Shares of one core (100 % = one core busy) over the window since <see cref="Start"/>.</summary>
    public CpuShares Stop()
    {
        var end = Take(self);
        var seconds = Math.Max((DateTime.UtcNow - startedAt).TotalSeconds, 0.001);
        double Pct(long ticks) => ticks / TicksPerSecond / seconds * 100;
        var busy = end.Busy - start.Busy;
        // Per process: one that started inside the window counts from zero; one that ended inside it
        // (a backend closing, a `rabbitmqctl` run, which is a beam.smp too) drops out and its time lands in "other".
        long Delta(string party) => end.Processes
            .Where(p => p.Value.Party == party)
            .Sum(p => p.Value.Ticks - (start.Processes.TryGetValue(p.Key, out var before) && before.Party == party ? before.Ticks : 0));
        var bench = Delta("benchmark");
        var postgres = Delta("postgres");
        var beam = Delta("beam");
        var other = Math.Max(0, busy - bench - postgres - beam);
        return new CpuShares(Pct(bench), Pct(postgres), Pct(beam), Pct(other), Pct(end.Idle - start.Idle), Environment.ProcessorCount, seconds);
    }

    private static Snapshot Take(int self)
    {
        long busy = 0, idle = 0;
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < cpu.Length && i <= 8; i++)
        {
            var v = long.Parse(cpu[i], CultureInfo.InvariantCulture);
            if (i is 4 or 5)
            {
                idle += v; // idle + iowait
            }
            else
            {
                busy += v;
            }
        }

        var processes = new Dictionary<int, (string Party, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended while we walked /proc
            }
            catch (UnauthorizedAccessException)
            {
                continue; // not ours to read; it lands in "other"
            }

            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                continue;
            }

            var name = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var party = pid == self ? "benchmark" : name switch { "postgres" => "postgres", "beam.smp" => "beam", _ => null };
            if (party is not null)
            {
                processes[pid] = (party, ticks);
            }
        }

        return new Snapshot(busy, idle, processes);
    }

    private sealed record Snapshot(long Busy, long Idle, Dictionary<int, (string Party, long Ticks)> Processes);
}
