using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SiemAi.EventStore;
using SiemAi.Hosting;
using SiemAi.Testing;

namespace SiemAi.Benchmarks;

/// <summary>
/// The event store against raw Npgsql: single-event appends from concurrent writers (alternating
/// rounds against a plain INSERT into a comparable table), the batch path, and the verifier.
/// </summary>
public sealed class EventStoreScenario(BenchmarkOptions options)
{
    public const string Name = "eventstore";

    // A realistic audit event: an alert's key fields, ~400 bytes of JSON.
    private const string Data = """
        {"alert_id":"5f0c2a57-1f0e-4f44-9c65-3c5f3b4f3a10","source_system":"wazuh","format":"wazuh","rule_id":"5712",
         "title":"sshd: brute force trying to get access to the system","severity":"high","asset":"web-01",
         "source_ip":"203.0.113.7","user":"root","category":"authentication_failed","mitre_techniques":["T1110"],
         "fingerprint":"3b1f6c0e8d2a4b5f9e7d6c5b4a3f2e1d","alert_count":1}
        """;

    private static readonly EventMetadata Metadata = new()
    {
        Actor = "service:benchmark",
        CorrelationId = Guid.Parse("0b7e7f7e-5d55-4f1c-8a43-6a1e2b3c4d5e"),
        CausationId = Guid.Parse("1c8f8f8f-6e66-4f2d-9b54-7b2f3c4d5e6f"),
        MessageId = Guid.Parse("1c8f8f8f-6e66-4f2d-9b54-7b2f3c4d5e6f"),
    };

    private static readonly string MetadataJson = System.Text.Json.JsonSerializer.Serialize(Metadata, EventStoreJson.Options);

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        var rows = new List<BenchmarkRow>();
        var notes = new List<string>();
        await using var db = await ScratchDatabase.CreateAsync("bench");
        await using (var owner = NpgsqlDataSource.Create(db.OwnerConnectionString))
        {
            await new SchemaMigrator(owner, ServiceSettings.Require("DB_USER")).MigrateAsync(EventStoreSchema.Migrations, ct);
            await using var baselineTable = owner.CreateCommand($"""
                CREATE TABLE raw_events (id uuid PRIMARY KEY, stream text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL);
                GRANT SELECT, INSERT ON raw_events TO {ServiceSettings.Require("DB_USER")};
                """);
            await baselineTable.ExecuteNonQueryAsync(ct);
        }

        // The host's connection settings (prepared statements, TLS policy) for both sides, with a pool sized to the writers.
        var app = DatabaseSettings.Tune(new NpgsqlConnectionStringBuilder(db.AppConnectionString), ServiceSettings.Optional("DB_SSL_MODE", string.Empty));
        app.MaxPoolSize = options.Writers + 4;
        await using var dataSource = NpgsqlDataSource.Create(app.ConnectionString);
        var store = new PostgresEventStore(dataSource);

        await MeasureSingleAppendsAsync(store, dataSource, rows, notes, ct);
        await MeasureBatchAndVerifyAsync(store, dataSource, rows, notes, ct);

        await using (var size = dataSource.CreateCommand(
            "SELECT pg_database_size(current_database()), pg_total_relation_size('events'), (SELECT count(*) FROM events), (SELECT count(*) FROM streams)"))
        await using (var reader = await size.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            var dbBytes = reader.GetInt64(0);
            var eventBytes = reader.GetInt64(1);
            var events = reader.GetInt64(2);
            var streams = reader.GetInt64(3);
            rows.Add(BenchmarkRow.Info(Name, "database size at the end", dbBytes / 1048576.0, "MiB"));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Database at the end: {dbBytes / 1048576.0:0.0} MiB in all, events table with indexes {eventBytes / 1048576.0:0.0} MiB, {events:N0} events in {streams:N0} streams (event data ≈ {Data.Length} bytes of JSON + metadata)."));
        }

        return new ScenarioResult(Name, rows, notes);
    }

    private async Task MeasureSingleAppendsAsync(PostgresEventStore store, NpgsqlDataSource dataSource, List<BenchmarkRow> rows, List<string> notes, CancellationToken ct)
    {
        var writers = options.Writers;
        var streamCount = 4000;
        long ticket = 0;

        async Task Store()
        {
            var n = Interlocked.Increment(ref ticket);
            var stream = "bench-" + (n % streamCount).ToString(CultureInfo.InvariantCulture);
            await store.AppendAsync(stream, ExpectedVersion.Any, [new EventData(Guid.NewGuid(), "alert_received", Data, Metadata)], ct);
        }

        async Task Raw()
        {
            var n = Interlocked.Increment(ref ticket);
            await using var command = dataSource.CreateCommand("INSERT INTO raw_events (id, stream, data, metadata) VALUES ($1, $2, $3, $4)");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "bench-" + (n % streamCount).ToString(CultureInfo.InvariantCulture) });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MetadataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            await command.ExecuteNonQueryAsync(ct);
        }

        // Warm-up: JIT, pool, the plpgsql plan cache, and the first stream rows.
        await RunPhaseAsync(Store, writers, TimeSpan.FromSeconds(1), ct);
        await RunPhaseAsync(Raw, writers, TimeSpan.FromSeconds(1), ct);

        long storeOps = 0, rawOps = 0;
        double storeSeconds = 0, rawSeconds = 0;
        var perRound = new List<double>();
        var storeCpu = new CpuSampler();
        var rawCpu = new CpuSampler();
        var storeShares = new List<CpuShares>();
        var rawShares = new List<CpuShares>();
        for (var round = 0; round < options.AppendRounds; round++)
        {
            // ABBA order: whichever runs second in a round sees a slightly bigger table; alternate that too.
            var storeFirst = round % 2 == 0;
            (long Ops, double Seconds) s = default, r = default;
            for (var phase = 0; phase < 2; phase++)
            {
                if ((phase == 0) == storeFirst)
                {
                    storeCpu.Start();
                    s = await RunPhaseAsync(Store, writers, options.AppendPhase, ct);
                    storeShares.Add(storeCpu.Stop());
                }
                else
                {
                    rawCpu.Start();
                    r = await RunPhaseAsync(Raw, writers, options.AppendPhase, ct);
                    rawShares.Add(rawCpu.Stop());
                }
            }

            storeOps += s.Ops;
            storeSeconds += s.Seconds;
            rawOps += r.Ops;
            rawSeconds += r.Seconds;
            perRound.Add(s.Ops / s.Seconds / (r.Ops / r.Seconds));
        }

        var ours = storeOps / storeSeconds;
        var raw = rawOps / rawSeconds;
        rows.Add(BenchmarkRow.RatioGoal(Name, $"single-event appends/s, {writers} writers (AppendAsync, Any)", ours, "events/s", raw, 0.8));
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Single appends: {options.AppendRounds} alternating rounds of {options.AppendPhase.TotalSeconds:0.#} s per side, {writers} writers over {streamCount} streams; per-round ratios {string.Join(", ", perRound.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))}. Baseline: one `INSERT INTO raw_events (id uuid PK, stream text, data jsonb, metadata jsonb)` per event, same connection pool and concurrency."));
        var storeCpuAll = CpuShares.Sum(storeShares);
        var rawCpuAll = CpuShares.Sum(rawShares);
        notes.Add($"Single appends, store rounds: {storeCpuAll}. {storeCpuAll.CostPer(storeOps, "event")}.");
        notes.Add($"Single appends, raw INSERT rounds: {rawCpuAll}. {rawCpuAll.CostPer(rawOps, "event")}.");
    }

    private async Task MeasureBatchAndVerifyAsync(PostgresEventStore store, NpgsqlDataSource dataSource, List<BenchmarkRow> rows, List<string> notes, CancellationToken ct)
    {
        var perBatch = options.BatchStreams * options.BatchEventsPerStream;
        var batches = (options.VerifyEvents + perBatch - 1) / perBatch;
        var batchStream = 0;

        IReadOnlyList<StreamAppend> NextBatch()
        {
            var appends = new List<StreamAppend>(options.BatchStreams);
            for (var s = 0; s < options.BatchStreams; s++)
            {
                var events = new EventData[options.BatchEventsPerStream];
                for (var e = 0; e < events.Length; e++)
                {
                    events[e] = new EventData(Guid.NewGuid(), e == 0 ? "alert_received" : "playbook_generated", Data, Metadata);
                }

                appends.Add(new StreamAppend("batch-" + Interlocked.Increment(ref batchStream).ToString(CultureInfo.InvariantCulture), ExpectedVersion.NoStream, events));
            }

            return appends;
        }

        // Warm-up batch (not timed): plans and JIT.
        await store.AppendBatchAsync(NextBatch(), ct);

        // Built batches are ready before the clock starts. A third of them goes through one loader, the
        // rest through one loader per core (a bulk import splits its streams over connections).
        var prepared = Enumerable.Range(0, batches).Select(_ => NextBatch()).ToList();
        var single = prepared.Count / 3;
        var cpu = new CpuSampler();
        var clock = new Stopwatch();
        foreach (var (loaders, share) in new[] { (1, prepared.Take(single).ToList()), (Environment.ProcessorCount, prepared.Skip(single).ToList()) })
        {
            var queue = new System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<StreamAppend>>(share);
            cpu.Start();
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, loaders).Select(_ => Task.Run(async () =>
            {
                while (queue.TryDequeue(out var batch))
                {
                    await store.AppendBatchAsync(batch, ct);
                }
            }, ct)));
            clock.Stop();
            var shares = cpu.Stop();
            var events = share.Count * (double)perBatch;
            var rate = events / clock.Elapsed.TotalSeconds;
            var label = loaders == 1 ? "1 loader" : $"{loaders} loaders";
            Console.Error.WriteLine($"  batch path, {label}: {rate:N0} events/s");
            rows.Add(BenchmarkRow.AtLeast(Name, $"batch appends (AppendBatchAsync, {options.BatchStreams} streams × {options.BatchEventsPerStream} events, {label})", rate, "events/s", 20_000));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Batch path, {label}: {share.Count} batches of {perBatch:N0} events in {clock.Elapsed.TotalSeconds:0.0} s. {shares}. {shares.CostPer(events, "event")}."));
        }

        prepared.Clear();

        await using (var vacuum = dataSource.CreateCommand("ANALYZE events"))
        {
            await vacuum.ExecuteNonQueryAsync(ct);
        }

        var verifier = new EventStoreVerifier(dataSource);
        var warm = await verifier.VerifyAsync(ct: ct); // first pass warms the cache; a cold read is a disk benchmark
        var rates = new List<double>();
        VerificationReport report = warm;
        var verifyShares = new List<CpuShares>();
        for (var i = 0; i < 2; i++)
        {
            cpu.Start();
            clock.Restart();
            report = await verifier.VerifyAsync(ct: ct);
            clock.Stop();
            verifyShares.Add(cpu.Stop());
            rates.Add(report.EventsChecked / clock.Elapsed.TotalSeconds);
        }

        if (!report.Intact)
        {
            throw new InvalidOperationException($"Verify found {report.Faults.Count} broken stream(s) on untouched data, first: {report.Faults[0]}");
        }

        // The verifier's own share: the chain recomputation on one core, over events already in memory.
        var sample = new List<RecordedEvent>(20_000);
        await foreach (var e in store.ReadAllAsync(ct: ct))
        {
            sample.Add(e);
            if (sample.Count == sample.Capacity)
            {
                break;
            }
        }

        clock.Restart();
        for (var pass = 0; pass < 5; pass++)
        {
            foreach (var e in sample)
            {
                EventHasher.Compute(e.PreviousHash, e);
            }
        }

        clock.Stop();
        var hashRate = sample.Count * 5 / clock.Elapsed.TotalSeconds;
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Verify, client side alone: `EventHasher.Compute` over {sample.Count:N0} events already in memory runs at {hashRate:N0} events/s on one core (the verifier reads and hashes on one thread)."));

        var verifyRate = rates.Average();
        rows.Add(BenchmarkRow.AtLeast(Name, $"verify (EventStoreVerifier.VerifyAsync, {report.EventsChecked:N0} events)", verifyRate, "events/s", 200_000));
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Verify: {report.EventsChecked:N0} events in {report.StreamsChecked:N0} streams, intact; warm-cache runs {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} events/s. {CpuShares.Sum(verifyShares)}. {CpuShares.Sum(verifyShares).CostPer(report.EventsChecked * 2.0, "event")}."));
    }

    /// <summary>Each writer repeats one operation until the phase ends; returns operations completed and the elapsed time.</summary>
    private static async Task<(long Ops, double Seconds)> RunPhaseAsync(Func<Task> operation, int writers, TimeSpan duration, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var counts = new long[writers];
        var clock = Stopwatch.StartNew();
        stop.CancelAfter(duration);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await operation();
                counts[w]++;
            }
        }, ct)).ToList();
        await Task.WhenAll(tasks);
        clock.Stop();
        return (counts.Sum(), clock.Elapsed.TotalSeconds);
    }
}
