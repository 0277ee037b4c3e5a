using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.EventStore;
using SiemAi.Hosting;
using SiemAi.Incidents;
using SiemAi.Incidents.Persistence;
using SiemAi.Testing;

namespace SiemAi.Benchmarks;

/// <summary>
/// Incidents from <see cref="AlertReceived"/> to AwaitingApproval on the real broker: our PostgreSQL saga
/// repository against MassTransit's in-memory one, same bus, definition and consumers, alternating
/// rounds; then latency at a paced rate on the PostgreSQL repository.
/// </summary>
public sealed class SagaScenario(BenchmarkOptions options)
{
    public const string Name = "saga";

    private static readonly TimeSpan RoundTimeout = TimeSpan.FromMinutes(2);

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        var rows = new List<BenchmarkRow>();
        var notes = new List<string>();
        await using var db = await ScratchDatabase.CreateAsync("bench");
        await using (var owner = NpgsqlDataSource.Create(db.OwnerConnectionString))
        {
            await new SchemaMigrator(owner, ServiceSettings.Require("DB_USER")).MigrateAsync([.. EventStoreSchema.Migrations, .. IncidentSchema.Migrations], ct);
        }

        // The host's connection settings (pool, prepared statements, TLS), so the repository meets the same limits as in production.
        await using var dataSource = NpgsqlDataSource.Create(DatabaseSettings.Tune(new NpgsqlConnectionStringBuilder(db.AppConnectionString), ServiceSettings.Optional("DB_SSL_MODE", string.Empty)).ConnectionString);
        await using var vhost = await RabbitVirtualHost.CreateAsync("bench");
        var tracker = new CompletionTracker();

        var perRepository = new Dictionary<bool, (int Incidents, double Seconds, List<CpuShares> Cpu, List<double> Rates)>
        {
            [true] = (0, 0, [], []),
            [false] = (0, 0, [], []),
        };
        // Both pipelines run once untimed first: tiered JIT and dynamic PGO settle on code both share
        // (MassTransit, RabbitMQ client), so the repository measured first is not the one paying for it.
        foreach (var postgres in new[] { true, false })
        {
            Console.Error.WriteLine($"  warm-up: {(postgres ? "PostgreSQL" : "in-memory")} repository, {options.SagaWarmupIncidents} incidents");
            await using var bus = await StartBusAsync(postgres, vhost.Name, dataSource, tracker, ct);
            await BurstAsync(bus.Bus, tracker, options.SagaWarmupIncidents, ct);
            await BurstAsync(bus.Bus, tracker, options.SagaWarmupIncidents, ct);
        }

        for (var round = 0; round < options.SagaRounds; round++)
        {
            foreach (var postgres in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                Console.Error.WriteLine($"  round {round + 1}/{options.SagaRounds}: {(postgres ? "PostgreSQL" : "in-memory")} repository, {options.SagaIncidentsPerRound} incidents");
                await using var bus = await StartBusAsync(postgres, vhost.Name, dataSource, tracker, ct);
                await BurstAsync(bus.Bus, tracker, options.SagaWarmupIncidents / 3, ct);

                var cpu = new CpuSampler();
                cpu.Start();
                var seconds = await BurstAsync(bus.Bus, tracker, options.SagaIncidentsPerRound, ct);
                var shares = cpu.Stop();
                var r = perRepository[postgres];
                r.Rates.Add(options.SagaIncidentsPerRound / seconds);
                r.Cpu.Add(shares);
                perRepository[postgres] = (r.Incidents + options.SagaIncidentsPerRound, r.Seconds + seconds, r.Cpu, r.Rates);
            }
        }

        var pg = perRepository[true];
        var memory = perRepository[false];
        rows.Add(BenchmarkRow.RatioGoal(Name, "incidents/s AlertReceived → AwaitingApproval (PostgreSQL repo vs in-memory repo)", pg.Incidents / pg.Seconds, "incidents/s", memory.Incidents / memory.Seconds, 0.7));
        var pgCpu = CpuShares.Sum(pg.Cpu);
        var memoryCpu = CpuShares.Sum(memory.Cpu);
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Throughput: bursts of {options.SagaIncidentsPerRound} incidents after an untimed warm-up of both pipelines ({options.SagaWarmupIncidents * 2} incidents each) and {options.SagaWarmupIncidents / 3} more per fresh bus, {options.SagaRounds} alternating round(s) per repository, a fresh bus per round; per-round rates PostgreSQL {Rates(pg.Rates)}, in-memory {Rates(memory.Rates)} incidents/s. Each incident is 3 saga transitions and 9 published messages."));
        notes.Add($"PostgreSQL repository rounds: {pgCpu}. {pgCpu.CostPer(pg.Incidents, "incident")}.");
        notes.Add($"In-memory repository rounds: {memoryCpu}. {memoryCpu.CostPer(memory.Incidents, "incident")}.");

        Console.Error.WriteLine($"  latency: {options.LatencyRate} alerts/s for {options.LatencyDuration.TotalSeconds:0} s, PostgreSQL repository");
        await using (var bus = await StartBusAsync(postgres: true, vhost.Name, dataSource, tracker, ct))
        {
            await BurstAsync(bus.Bus, tracker, options.SagaWarmupIncidents, ct);
            var cpu = new CpuSampler();
            cpu.Start();
            var latencies = await PacedAsync(bus.Bus, tracker, ct);
            var shares = cpu.Stop();
            var sorted = latencies.Order().ToArray();
            var p50 = Percentile(sorted, 0.50);
            var p99 = Percentile(sorted, 0.99);
            rows.Add(BenchmarkRow.Info(Name, $"latency p50 at {options.LatencyRate:0} alerts/s (PostgreSQL repo)", p50, "ms"));
            rows.Add(BenchmarkRow.AtMost(Name, $"latency p99 at {options.LatencyRate:0} alerts/s (PostgreSQL repo)", p99, "ms", 100));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Latency: {sorted.Length} incidents published at {options.LatencyRate:0}/s over {options.LatencyDuration.TotalSeconds:0} s, measured from publish to the AwaitingApproval status message arriving at a consumer: p50 {p50:0.0} ms, p90 {Percentile(sorted, 0.90):0.0} ms, p99 {p99:0.0} ms, max {sorted[^1]:0.0} ms. {shares}."));
        }

        await using (var check = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM incidents WHERE status = 'AwaitingApproval'), (SELECT count(*) FROM incidents), (SELECT count(*) FROM events), (SELECT count(*) FROM outbox), pg_database_size(current_database())"))
        await using (var reader = await check.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"PostgreSQL afterwards: {reader.GetInt64(0):N0} of {reader.GetInt64(1):N0} incidents in AwaitingApproval in the read model, {reader.GetInt64(2):N0} audit events, {reader.GetInt64(3)} outbox rows left, database {reader.GetInt64(4) / 1048576.0:0.0} MiB."));
        }

        return new ScenarioResult(Name, rows, notes);
    }

    private static async Task<RunningBus> StartBusAsync(bool postgres, string vhost, NpgsqlDataSource dataSource, CompletionTracker tracker, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new IncidentOptions()));
        services.AddSingleton(new IncidentDataSource(dataSource));
        services.AddSingleton(tracker);
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            if (postgres)
            {
                bus.AddIncidentSaga();
            }
            else
            {
                bus.AddSagaStateMachine<IncidentStateMachine, IncidentState, IncidentStateDefinition>().InMemoryRepository();
            }

            bus.AddConsumer<GeneratePlaybookStage>();
            bus.AddConsumer<VerifyPlaybookStage>();
            bus.AddConsumer<AwaitingApprovalProbe>();
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(ServiceSettings.RabbitHost, ServiceSettings.RabbitPort, vhost, h =>
                {
                    h.Username(ServiceSettings.RabbitUser);
                    h.Password(ServiceSettings.RabbitPassword);
                    h.PublisherConfirmation = true;
                });
                cfg.ConfigureEndpoints(context);
            });
        });

        var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(ct);
        return new RunningBus(provider, bus);
    }

    /// <summary>Publishes <paramref name="count"/> alerts as fast as the broker confirms them; returns seconds until the last incident arrived.</summary>
    private static async Task<double> BurstAsync(IBus bus, CompletionTracker tracker, int count, CancellationToken ct)
    {
        tracker.Begin(count);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            var message = NewAlert(i);
            tracker.Started(message.IncidentId);
            await bus.Publish(message, token);
        });
        await tracker.WaitAsync(RoundTimeout, ct);
        return clock.Elapsed.TotalSeconds;
    }

    private async Task<IReadOnlyList<double>> PacedAsync(IBus bus, CompletionTracker tracker, CancellationToken ct)
    {
        var count = (int)(options.LatencyRate * options.LatencyDuration.TotalSeconds);
        tracker.Begin(count);
        var interval = TimeSpan.FromSeconds(1 / options.LatencyRate);
        var clock = Stopwatch.StartNew();
        var publishes = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, ct);
            }

            var message = NewAlert(i);
            tracker.Started(message.IncidentId);
            publishes.Add(bus.Publish(message, ct));
        }

        await Task.WhenAll(publishes);
        await tracker.WaitAsync(RoundTimeout, ct);
        return tracker.Latencies();
    }

    private static AlertReceived NewAlert(int i)
    {
        var now = DateTimeOffset.UtcNow;
        var asset = $"web-{i % 50:00}";
        return new AlertReceived
        {
            IncidentId = NewId.NextGuid(),
            Timestamp = now,
            Alert = new NormalizedAlert
            {
                AlertId = NewId.NextGuid(),
                SourceSystem = "benchmark",
                Format = "generic",
                RuleId = "5712",
                RuleName = "sshd brute force",
                Title = $"sshd: brute force trying to get access to {asset}",
                Severity = Severity.High,
                Asset = asset,
                SourceIp = "203.0.113.7",
                User = "root",
                Category = "authentication_failed",
                MitreTechniques = ["T1110"],
                ObservedAt = now,
                ReceivedAt = now,
                Fingerprint = Guid.NewGuid().ToString("N"),
                RawPayload = """{"rule":{"id":"5712"},"agent":{"name":"web-01"},"data":{"srcip":"203.0.113.7"}}""",
            },
        };
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Rates(IEnumerable<double> rates) =>
        string.Join(", ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)));

    private sealed class RunningBus(ServiceProvider provider, IBusControl bus) : IAsyncDisposable
    {
        public IBus Bus => bus;

        public async ValueTask DisposeAsync()
        {
            await bus.StopAsync(TimeSpan.FromSeconds(30));
            await provider.DisposeAsync();
        }
    }
}
