using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.Testing;

namespace SiemAi.Benchmarks;

/// <summary>
/// Ingestion through the real host process (role ingestion): webhook alerts acknowledged (202 only after
/// RabbitMQ confirmed) per second against raw MassTransit confirmed publishes of the same number of messages
/// from this process, same broker and queue, alternating; then syslog over UDP at stepped rates (0 loss?);
/// then a storm of alerts over 100 fingerprints (exactly 100 incidents, every alert counted).
/// </summary>
public sealed class IngestScenario(BenchmarkOptions options)
{
    public const string Name = "ingest";
    private const int Clients = 32;

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        var rows = new List<BenchmarkRow>();
        var notes = new List<string>();
        await using var db = await ScratchDatabase.CreateAsync("bingest");
        await using var vhost = await RabbitVirtualHost.CreateAsync("bingest");
        var key = "bench-" + Guid.NewGuid().ToString("N");
        var env = HostEnvironment.For(db, vhost, "ingestion", key, logLevel: "WARNING");
        env["RATE_LIMIT"] = "none";
        await using var host = new HostProcess(env);
        var sink = new SinkCounter();
        using var bus = await StartSinkAsync(vhost.Name, sink, ct);
        await host.StartAsync(TimeSpan.FromSeconds(120));

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        var publisher = bus.Services.GetRequiredService<IBus>();

        // Warm-up (JIT, connection pools), then alternating rounds.
        await WebhookAsync(http, 500, "warm", ct);
        await RawAsync(publisher, 500, ct);
        double oursOps = 0, oursSeconds = 0, rawOps = 0, rawSeconds = 0;
        for (var round = 0; round < options.IngestRounds; round++)
        {
            var ours = await WebhookAsync(http, options.IngestAlertsPerRound, $"r{round}", ct);
            var raw = await RawAsync(publisher, options.IngestAlertsPerRound, ct);
            oursOps += options.IngestAlertsPerRound;
            oursSeconds += ours;
            rawOps += options.IngestAlertsPerRound;
            rawSeconds += raw;
        }

        rows.Add(BenchmarkRow.RatioGoal(Name, $"webhook alerts/s acknowledged (202 after confirm), {Clients} clients", oursOps / oursSeconds, "alerts/s", rawOps / rawSeconds, 0.8));
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"Ingest: {options.IngestRounds} alternating rounds of {options.IngestAlertsPerRound} distinct generic alerts each side, {Clients} concurrent senders. Ours: HTTP POST /ingest/generic to the host process (auth, parse, validate, fingerprint, dedup upsert in PostgreSQL, confirmed publish, 202). Baseline: `IBus.Publish` of an AlertReceived with publisher confirms from this process, same vhost, same durable queue."));

        // Syslog over UDP: the highest paced rate at which everything sent became an AlertReceived.
        var udp = host.SyslogUdpPort;
        var best = 0;
        foreach (var rate in options.SyslogRates)
        {
            var (sent, received) = await SyslogAsync(udp, rate, options.SyslogSeconds, sink, ct);
            notes.Add($"Syslog UDP {rate:N0} msg/s for {options.SyslogSeconds} s: sent {sent:N0}, received {received:N0} ({sent - received:N0} lost).");
            if (received < sent)
            {
                break;
            }

            best = rate;
        }

        rows.Add(BenchmarkRow.AtLeast(Name, $"syslog UDP highest rate with 0 loss over {options.SyslogSeconds} s", best, "msg/s", 10_000));

        // Storm: many alerts over 100 fingerprints.
        var storm = options.StormAlerts;
        await using var data = NpgsqlDataSource.Create(db.AppConnectionString);
        const string incidentsSql = "SELECT count(*) FROM ingestion_incidents";
        const string countedSql = "SELECT coalesce(sum(alert_count), 0) FROM ingestion_incidents";
        var incidentsBefore = await ScalarAsync(data, incidentsSql);
        var countedBefore = await ScalarAsync(data, countedSql);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, storm), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = ct }, async (i, token) =>
        {
            var body = $$"""{"source":"storm","title":"storm {{i % 100}}","severity":"medium","host":"storm-{{i % 100}}","ruleId":"storm-{{i % 100}}","sourceIp":"198.51.100.{{i % 100}}"}""";
            using var response = await http.PostAsync("ingest/generic", new StringContent(body, Encoding.UTF8, "application/json"), token);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"storm alert {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
            }
        });
        var stormSeconds = clock.Elapsed.TotalSeconds;
        var incidents = await ScalarAsync(data, incidentsSql) - incidentsBefore;
        var counted = await ScalarAsync(data, countedSql) - countedBefore;
        rows.Add(new BenchmarkRow(Name, $"storm: {storm:N0} alerts over 100 fingerprints → incidents opened", incidents, "incidents", null, "= 100", incidents == 100));
        rows.Add(new BenchmarkRow(Name, $"storm: alerts counted on those incidents (lost = {storm - counted:N0})", counted, "alerts", null, $"= {storm:N0}", counted == storm));
        rows.Add(BenchmarkRow.Info(Name, "storm: acknowledged alerts/s", storm / stormSeconds, "alerts/s"));
        await bus.StopAsync(ct);
        return new ScenarioResult(Name, rows, notes);
    }

    private static async Task<double> WebhookAsync(HttpClient http, int count, string round, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = ct }, async (i, token) =>
        {
            var body = $$"""{"source":"bench","title":"{{round}} {{run}} {{i}}","severity":"high","host":"web-{{i % 50}}","ruleId":"{{run}}-{{i}}","sourceIp":"203.0.113.{{i % 250}}"}""";
            using var response = await http.PostAsync("ingest/generic", new StringContent(body, Encoding.UTF8, "application/json"), token);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(token)}");
            }
        });
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> RawAsync(IBus bus, int count, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = ct }, async (i, token) =>
        {
            var id = Guid.NewGuid();
            await bus.Publish(new AlertReceived
            {
                IncidentId = id,
                Timestamp = DateTimeOffset.UtcNow,
                Alert = new NormalizedAlert
                {
                    AlertId = id,
                    SourceSystem = "bench",
                    Format = "generic",
                    Title = $"raw {i}",
                    Severity = Severity.High,
                    ObservedAt = DateTimeOffset.UtcNow,
                    ReceivedAt = DateTimeOffset.UtcNow,
                    Fingerprint = id.ToString("N"),
                    RawPayload = $$"""{"source":"bench","title":"raw {{i}}","severity":"high","host":"web-{{i % 50}}"}""",
                    Asset = $"web-{i % 50}",
                },
            }, token);
        });
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<(long Sent, long Received)> SyslogAsync(int port, int rate, int seconds, SinkCounter sink, CancellationToken ct)
    {
        await DrainAsync(sink, ct); // what earlier phases published must not count as syslog arrivals
        var before = sink.Count;
        using var udp = new UdpClient();
        udp.Connect(IPAddress.Loopback, port);
        long sent = 0;
        var clock = Stopwatch.StartNew();
        var total = (long)rate * seconds;
        while (sent < total)
        {
            // Pace by elapsed time: send what is due, then yield briefly.
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate));
            for (; sent < due; sent++)
            {
                var line = $"<34>1 {DateTimeOffset.UtcNow:O} host-{sent % 100} sshd {sent} ID47 - Failed password for root from 192.0.2.{sent % 250} port 22 ssh2 n={sent}";
                await udp.SendAsync(Encoding.UTF8.GetBytes(line), ct);
            }

            await Task.Delay(1, ct);
        }

        await DrainAsync(sink, ct);
        return (sent, sink.Count - before);
    }

    /// <summary>Waits until nothing more has arrived for 3 s.</summary>
    private static async Task DrainAsync(SinkCounter sink, CancellationToken ct)
    {
        var last = -1L;
        while (sink.Count != last)
        {
            last = sink.Count;
            await Task.Delay(3000, ct);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<IHost> StartSinkAsync(string vhost, SinkCounter sink, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(sink);
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<SinkConsumer>().Endpoint(e => e.Name = "bench-alert-received-sink");
            x.UsingRabbitMq((context, cfg) =>
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
        var app = builder.Build();
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>Counts the AlertReceived messages that reached the broker queue (the saga's place in production).</summary>
    public sealed class SinkCounter
    {
        private long count;

        public long Count => Interlocked.Read(ref count);

        public void Add() => Interlocked.Increment(ref count);
    }

    public sealed class SinkConsumer(SinkCounter counter) : IConsumer<AlertReceived>
    {
        public Task Consume(ConsumeContext<AlertReceived> context)
        {
            counter.Add();
            return Task.CompletedTask;
        }
    }
}
