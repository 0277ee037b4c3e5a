using System.Globalization;
using MassTransit;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using SiemAi.Approvals;
using SiemAi.EventStore;
using SiemAi.Hosting;
using SiemAi.Generation;
using SiemAi.Incidents;
using SiemAi.Incidents.Persistence;
using SiemAi.Ingestion;
using SiemAi.Runner;
using SiemAi.Safety;

namespace SiemAi.Host;

public static class SiemAiHostExtensions
{
    public static IHostApplicationBuilder AddSiemAi(this WebApplicationBuilder builder, HostRoles roles)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSingleton(roles);
        builder.AddLogging();
        builder.AddObservability();

        var database = DatabaseSettings.From(name => configuration[name]);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database.AppConnectionString));

        builder.Services.AddSingleton(sp => new IncidentDataSource(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton(sp => new PostgresEventStore(sp.GetRequiredService<NpgsqlDataSource>()));

        // The middleware runs for every role; the approvals role adds its schemes and policies.
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
        builder.AddIncidents(runSaga: roles.Has("saga"));
        if (roles.Has("ingestion"))
        {
            builder.AddIngestion();
        }

        if (roles.Has("generator"))
        {
            builder.AddGeneration();
        }

        if (roles.Has("safety"))
        {
            builder.AddSafety();
        }

        if (roles.Has("runner"))
        {
            builder.AddRunner();
        }

        if (roles.Has("approvals"))
        {
            builder.AddApprovals();
        }

        var rabbit = RabbitMqSettings.From(configuration);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddConfigureEndpointsCallback((name, endpoint) =>
            {
                QuorumQueues.Apply(name, endpoint, rabbit);
                if (database.HasStandbys)
                {
                    DatabaseFailover.Retry(endpoint);
                }
            });
            bus.ConfigureHealthCheckOptions(health => health.Name = "rabbitmq");
            if (roles.Has("saga"))
            {
                bus.AddIncidentSaga();
            }

            if (roles.Has("ingestion"))
            {
                bus.AddIngestionConsumers();
            }

            if (roles.Has("generator"))
            {
                bus.AddGenerationConsumers();
            }

            if (roles.Has("safety"))
            {
                bus.AddSafetyConsumers();
            }

            if (roles.Has("runner"))
            {
                bus.AddRunnerConsumers();
            }

            if (roles.Has("approvals"))
            {
                bus.AddApprovalsConsumers();
            }

            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.User);
                    h.Password(rabbit.Password);
                    h.PublisherConfirmation = true;
                    if (rabbit.Nodes.Count > 1)
                    {
                        // Each reconnect tries the next node in turn, so a dead node is left for a live one.
                        h.UseCluster(cluster =>
                        {
                            foreach (var node in rabbit.Nodes)
                            {
                                cluster.Node(node.ToString());
                            }
                        });
                    }
                });
                if (rabbit.QueueType == RabbitMqQueueType.Quorum)
                {
                    cfg.SendTopology.ConfigureErrorSettings = QuorumQueues.ForErrorQueue;
                    cfg.SendTopology.ConfigureDeadLetterSettings = QuorumQueues.ForErrorQueue;
                }

                cfg.ConfigureEndpoints(context);
            });
        });

        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("postgresql", tags: ["ready"])
            .AddCheck<AnsibleHealthCheck>("ansible", tags: ["ready"]);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // The framework answers a body it has no reader for with a bare 415; say what it got and what it takes.
            if (context.ProblemDetails is { Status: StatusCodes.Status415UnsupportedMediaType, Detail: null })
            {
                context.ProblemDetails.Detail = $"Content-Type '{context.HttpContext.Request.ContentType}' is not accepted here; send application/json.";
            }
        });
        // Binding failures are thrown (not answered with a bare 400) so BadRequestProblems can name the parameter.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableProblems>();

        var tls = TlsSettings.From(configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var bind = System.Net.IPAddress.Parse(configuration["BIND_ADDRESS"] ?? "127.0.0.1");
            var ports = ListenPorts(configuration, roles).ToList();
            var serving = new HashSet<int>(ports.Where(p => p != HealthOnlyPort(configuration, roles)));
            foreach (var port in ports)
            {
                kestrel.Listen(bind, port, listen =>
                {
                    if (tls.Certificate is { } certificate && (serving.Contains(port) || !tls.PlainHealthPort))
                    {
                        listen.UseHttps(certificate);
                    }
                });
            }
        });
        return builder;
    }

    public static WebApplication MapSiemAi(this WebApplication app, HostRoles roles)
    {
        app.UseSerilogRequestLogging();
        app.MapObservability();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            // MassTransit reports the bus Degraded, not Unhealthy, while RabbitMQ is unreachable; ASP.NET would
            // answer 200 to that, and a load balancer would keep sending alerts the webhook can only refuse.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = ReadinessResponse.WriteAsync,
        });
        if (roles.Has("ingestion"))
        {
            app.MapIngestion();
        }

        if (roles.Has("approvals"))
        {
            app.MapApprovals();
        }

        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.LogInformation("SiemAi host started with roles {Roles}, listening on {Addresses}", roles.ToString(), string.Join(", ", app.Urls)));
        return app;
    }

    /// <summary>Applies every module's migrations with the owner role when its credentials are configured.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<DatabaseSettings>();
        if (database.OwnerConnectionString is null || app.Configuration["DB_MIGRATE_ON_START"] is "false")
        {
            var pending = await SchemaMigrator.PendingAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), AllMigrations.List);
            if (pending.Count > 0)
            {
                app.Logger.LogWarning("{Count} schema migration(s) are pending; run `siemai db migrate` with the owner role", pending.Count);
            }

            return;
        }

        await using var owner = NpgsqlDataSource.Create(database.OwnerConnectionString);
        var applied = await new SchemaMigrator(owner, database.AppRole).MigrateAsync(AllMigrations.List);
        app.Logger.LogInformation("Schema migrations applied: {Applied}", applied);
    }

    /// <summary>HEALTH_PORT when no webhook or review page shares it, else none (-1).</summary>
    private static int HealthOnlyPort(IConfiguration configuration, HostRoles roles)
    {
        var all = ListenPorts(configuration, roles).ToList();
        var health = int.TryParse(configuration["HEALTH_PORT"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) ? h : -1;
        var others = new List<int>();
        if (roles.Has("ingestion") && int.TryParse(configuration["WEBHOOK_PORT"] ?? "5000", NumberStyles.Integer, CultureInfo.InvariantCulture, out var w))
        {
            others.Add(w);
        }

        if (roles.Has("approvals") && int.TryParse(configuration["REVIEW_UI_PORT"] ?? "8088", NumberStyles.Integer, CultureInfo.InvariantCulture, out var r))
        {
            others.Add(r);
        }

        return all.Contains(health) && !others.Contains(health) ? health : -1;
    }

    private static IEnumerable<int> ListenPorts(IConfiguration configuration, HostRoles roles)
    {
        int Port(string name, int fallback) =>
            int.TryParse(configuration[name] ?? fallback.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                ? p
                : throw new InvalidOperationException($"{name} must be a port number, not '{configuration[name]}'.");

        var ports = new SortedSet<int> { Port("HEALTH_PORT", Port("WEBHOOK_PORT", 5000)) };
        if (roles.Has("ingestion"))
        {
            ports.Add(Port("WEBHOOK_PORT", 5000));
        }

        if (roles.Has("approvals"))
        {
            ports.Add(Port("REVIEW_UI_PORT", 8088));
        }

        return ports;
    }

    private static void AddLogging(this WebApplicationBuilder builder)
    {
        var level = (builder.Configuration["LOG_LEVEL"] ?? "INFO").Trim().ToUpperInvariant() switch
        {
            "DEBUG" or "TRACE" or "VERBOSE" => LogEventLevel.Debug,
            "INFO" or "INFORMATION" => LogEventLevel.Information,
            "WARN" or "WARNING" => LogEventLevel.Warning,
            "ERROR" => LogEventLevel.Error,
            "CRITICAL" or "FATAL" => LogEventLevel.Fatal,
            var other => throw new InvalidOperationException($"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not '{other}'."),
        };
        var logFile = builder.Configuration["LOG_FILE"];
        builder.Services.AddSerilog(logger =>
        {
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .WriteTo.Console(new RenderedCompactJsonFormatter());
            if (!string.IsNullOrWhiteSpace(logFile))
            {
                logger.WriteTo.File(new RenderedCompactJsonFormatter(), logFile);
            }
        });
    }
}
