using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Model.Events;
using Recorded = SiemAi.Incidents.Model.Events;

namespace SiemAi.Host;

/// <summary>
/// OpenTelemetry for operators: every <c>SiemAi.*</c> meter plus MassTransit, ASP.NET Core, Npgsql and
/// runtime instrumentation, exported for Prometheus at <c>/metrics</c> (<c>METRICS_ENABLED</c>, default true;
/// <c>METRICS_PORT</c> moves it to a port of its own). Traces flow through MassTransit's and ASP.NET Core's
/// activity sources, so log lines carry trace and span ids; OTLP export only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class Observability
{
    public const string MeterName = "SiemAi.Observability";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var metricsEnabled = !string.Equals(configuration["METRICS_ENABLED"], "false", StringComparison.OrdinalIgnoreCase);
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("siemai"))
            .WithTracing(tracing =>
            {
                tracing.AddSource("MassTransit").AddAspNetCoreInstrumentation().AddNpgsql();
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter();
                }
            });
        if (!metricsEnabled)
        {
            return builder;
        }

        otel.WithMetrics(metrics => metrics
            .AddMeter("SiemAi.*", "MassTransit")
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddNpgsqlInstrumentation()
            .AddPrometheusExporter());
        builder.Services.AddSingleton<IncidentStatusGauge>();
        builder.Services.AddHostedService<AuditEventCounter>();

        if (MetricsPort(configuration) is { } port)
        {
            var bind = System.Net.IPAddress.Parse(configuration["BIND_ADDRESS"] ?? "127.0.0.1");
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(bind, port));
        }

        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        if (app.Services.GetService<IncidentStatusGauge>() is null)
        {
            return app;
        }

        var endpoint = app.MapPrometheusScrapingEndpoint("/metrics");
        if (MetricsPort(app.Configuration) is { } port)
        {
            endpoint.RequireHost($"*:{port}");
        }

        return app;
    }

    /// <summary>A separate metrics port, unless it is unset or one the host already listens on.</summary>
    private static int? MetricsPort(IConfiguration configuration)
    {
        if (configuration["METRICS_PORT"] is not { Length: > 0 } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"METRICS_PORT must be a port number, not '{text}'.");
        }

        var taken = new[] { configuration["WEBHOOK_PORT"] ?? "5000", configuration["HEALTH_PORT"], configuration["REVIEW_UI_PORT"] ?? "8088" };
        return taken.Contains(text) ? null : port;
    }

    /// <summary>
    /// <c>siemai_incidents{status}</c> from the read model, queried at most every 5 s however often
    /// Prometheus scrapes, so a busy scraper never loads the database.
    /// </summary>
    private sealed class IncidentStatusGauge
    {
        private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
        private readonly NpgsqlDataSource dataSource;
        private readonly ILogger<IncidentStatusGauge> logger;
        private readonly Lock gate = new();
        private List<Measurement<long>> last = [];
        private long expiringSoon;
        private DateTime readAt = DateTime.MinValue;

        public IncidentStatusGauge(IMeterFactory meters, NpgsqlDataSource dataSource, ILogger<IncidentStatusGauge> logger)
        {
            this.dataSource = dataSource;
            this.logger = logger;
            var meter = meters.Create(MeterName);
            meter.CreateObservableGauge("siemai_incidents", Read, description: "Incidents by current status (from the incidents read model).");
            meter.CreateObservableGauge("siemai_approvals_expiring_soon", () => { Read(); return Volatile.Read(ref expiringSoon); },
                description: "Incidents awaiting approval whose deadline is less than 15 minutes away.");
        }

        private List<Measurement<long>> Read()
        {
            lock (gate)
            {
                if (DateTime.UtcNow - readAt < MaxAge)
                {
                    return last;
                }

                readAt = DateTime.UtcNow;
                try
                {
                    using var command = dataSource.CreateCommand("SELECT status, count(*), count(*) FILTER (WHERE deadline < now() + interval '15 minutes') FROM incidents GROUP BY status");
                    command.CommandTimeout = 3;
                    using var reader = command.ExecuteReader();
                    var now = new List<Measurement<long>>();
                    var soon = 0L;
                    while (reader.Read())
                    {
                        soon += IncidentStatuses.Parse(reader.GetString(0))?.AwaitsDecision() == true ? reader.GetInt64(2) : 0;
                        now.Add(new Measurement<long>(reader.GetInt64(1), new KeyValuePair<string, object?>("status", reader.GetString(0))));
                    }

                    // A status nobody is in any more reports 0 rather than vanishing, so alerts on it resolve.
                    foreach (var gone in last.Select(Status).Except(now.Select(Status)))
                    {
                        now.Add(new Measurement<long>(0, new KeyValuePair<string, object?>("status", gone)));
                    }

                    last = now;
                    Volatile.Write(ref expiringSoon, soon);
                }
                catch (NpgsqlException ex)
                {
                    // The scrape must still answer; the last known values stay, and the failure is visible in the log.
                    logger.LogWarning(ex, "Could not read incident counts for {Metric}", "siemai_incidents");
                }

                return last;
            }
        }

        private static string Status(Measurement<long> m) => (string)m.Tags[0].Value!;
    }

    /// <summary>
    /// Counters derived from the audit trail, so every transition is counted exactly once whichever
    /// process made it: <c>siemai_audit_events_total{event_type}</c> (approvals, denials, expiries, runner
    /// outcomes, ...), <c>siemai_safety_verdicts_total{verdict,risk}</c> and <c>siemai_safety_findings_total{rule}</c>.
    /// Counts start at the store's head when the process starts, as Prometheus counters do.
    /// </summary>
    private sealed class AuditEventCounter(IMeterFactory meters, PostgresEventStore store, IConfiguration configuration, ILogger<AuditEventCounter> logger) : BackgroundService
    {
        private readonly Counter<long> events = meters.Create(MeterName).CreateCounter<long>("siemai_audit_events", description: "Audit events appended, by type.");
        private readonly Counter<long> verdicts = meters.Create(MeterName).CreateCounter<long>("siemai_safety_verdicts", description: "Safety verdicts recorded, by verdict and risk.");
        private readonly Counter<long> findings = meters.Create(MeterName).CreateCounter<long>("siemai_safety_findings", description: "Safety findings recorded, by rule.");
        private readonly Histogram<double> stages = meters.Create(MeterName).CreateHistogram<double>("siemai_stage_duration", "s", "Time from a stage's start event to its end event in the incident's stream, by stage.");

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var interval = TimeSpan.FromSeconds(double.TryParse(configuration["METRICS_AUDIT_POLL_SECONDS"], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 2);
            EventStoreTail? tail = null;
            using var timer = new PeriodicTimer(interval);
            do
            {
                try
                {
                    // Late commits (a lower sequence committing after a higher one) are counted too, exactly once.
                    tail ??= new EventStoreTail(store, await HeadAsync(stoppingToken), TimeSpan.FromMinutes(2));
                    await foreach (var e in tail.ReadNewAsync(1000, stoppingToken))
                    {
                        var typed = IncidentEvents.Deserialize(e.Type, e.Data);
                        Count(e, typed);
                        await TimeStageAsync(e, typed, stoppingToken);
                    }
                }
                catch (NpgsqlException ex)
                {
                    logger.LogWarning(ex, "Could not read new audit events for metrics; retrying in {Interval}", interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }

        /// <summary>The event that ends a stage, the events that start it, and the stage's name.</summary>
        private static (string Stage, string[] Starts)? StageEndedBy(IIncidentEvent e) => e switch
        {
            Recorded.PlaybookGenerated => ("generation", [IncidentEvents.NameOf<Recorded.AlertReceived>(), IncidentEvents.NameOf<Recorded.RegenerationRequested>()]),
            Recorded.PlaybookVerified or Recorded.PlaybookRejected => ("safety", [IncidentEvents.NameOf<Recorded.PlaybookGenerated>()]),
            Recorded.ApprovalDenied or Recorded.ApprovalExpired or Recorded.PlaybookApproved { Complete: true, ForApply: false } => ("approval_wait", [IncidentEvents.NameOf<Recorded.ApprovalRequested>()]),
            Recorded.CheckRunCompleted or Recorded.ApplyRunCompleted or Recorded.RunFailed or Recorded.RunRefused =>
                ("run", [IncidentEvents.NameOf<Recorded.CheckRunStarted>(), IncidentEvents.NameOf<Recorded.ApplyRunStarted>()]),
            _ => null,
        };

        private async Task TimeStageAsync(RecordedEvent e, IIncidentEvent typed, CancellationToken ct)
        {
            if (StageEndedBy(typed) is not { } stage)
            {
                return;
            }

            await using var command = store.DataSource.CreateCommand(
                "SELECT recorded_at FROM events WHERE stream_id = $1 AND version < $2 AND type = ANY($3) ORDER BY version DESC LIMIT 1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.StreamId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Version });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = stage.Starts });
            if (await command.ExecuteScalarAsync(ct) is DateTime started)
            {
                var seconds = (e.RecordedAt - new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc))).TotalSeconds;
                stages.Record(Math.Max(0, seconds), new KeyValuePair<string, object?>("stage", stage.Stage));
            }
        }

        private async Task<long> HeadAsync(CancellationToken ct)
        {
            await using var command = store.DataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM events");
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }

        private void Count(RecordedEvent e, IIncidentEvent typed)
        {
            events.Add(1, new KeyValuePair<string, object?>("event_type", e.Type));
            switch (typed)
            {
                case Recorded.PlaybookVerified v:
                    CountVerdict(v.Verdict, v.Risk, v.Findings);
                    break;
                case Recorded.PlaybookRejected r:
                    CountVerdict(r.Verdict, r.Risk, r.Findings);
                    break;
            }
        }

        private void CountVerdict(Contracts.SafetyVerdict verdict, Contracts.RiskLevel risk, IReadOnlyList<Contracts.SafetyFinding>? list)
        {
            var verdictName = IncidentEvents.ValueName(verdict);
            verdicts.Add(1, new KeyValuePair<string, object?>("verdict", verdictName), new KeyValuePair<string, object?>("risk", IncidentEvents.ValueName(risk)));
            foreach (var finding in list ?? [])
            {
                findings.Add(1, new KeyValuePair<string, object?>("rule", finding.Rule ?? "unknown"), new KeyValuePair<string, object?>("verdict", verdictName));
            }
        }
    }
}
