using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.Ingestion.Broker;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Hec;
using SiemAi.Ingestion.Normalization;
using SiemAi.Ingestion.Security;
using SiemAi.Ingestion.Syslog;
using SiemAi.Ingestion.Validation;
using SiemAi.Ingestion.Webhook;

namespace SiemAi.Ingestion;

/// <summary>
/// Wiring for the host: <see cref="AddIngestion"/> (services, options, syslog listener),
/// <see cref="MapIngestion"/> (webhook and Splunk HEC endpoints) and <see cref="AddIngestionConsumers"/> (broker path).
/// The host owns the MassTransit bus (RabbitMQ transport, publisher confirms on) and runs
/// <see cref="Incidents.IngestionSchema.Migrations"/>.
/// </summary>
public static class IngestionModule
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIngestionNormalization();
        services.AddOptions<IngestionOptions>().ValidateOnStart();
        services.AddSingleton<IValidator<IngestionOptions>, IngestionOptionsValidator>();
        services.AddSingleton<IValidateOptions<IngestionOptions>, FluentOptionsValidation<IngestionOptions>>();

        services.AddMetrics();
        services.TryAddSingleton<IngestionMetrics>();
        services.TryAddSingleton<ApiKeyAuthenticator>();
        services.TryAddSingleton<KeyRateLimiter>();
        services.TryAddSingleton<AlertIngestor>();
        services.TryAddSingleton<WebhookHandler>();
        services.TryAddSingleton<HecHandler>();
        services.TryAddSingleton<HecAckLedger>();
        services.TryAddSingleton<SyslogEndpoints>();
        // The host (or the event store module) may register the shared NpgsqlDataSource; otherwise ours.
        services.TryAddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IOptions<IngestionOptions>>().Value.ConnectionString;
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("Ingestion needs PostgreSQL: register an NpgsqlDataSource or set Ingestion:ConnectionString / ConnectionStrings:SiemAi.")
                : NpgsqlDataSource.Create(connectionString);
        });
        services.TryAddSingleton<Incidents.IncidentAssigner>();
        services.AddHostedService<SyslogListener>();
        return builder;
    }

    /// <summary>
    /// What turns a body into alerts, without listeners or keys: options bound from <c>Ingestion</c> (and the flat
    /// variables), fingerprints, validation, <see cref="AlertNormalizer"/>. <c>siemai ingest test</c> uses exactly this.
    /// </summary>
    public static IServiceCollection AddIngestionNormalization(this IServiceCollection services)
    {
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<IngestionOptions>, IngestionOptionsSetup>());
        services.TryAddSingleton<IValidator<NormalizedAlert>, NormalizedAlertValidator>();
        services.TryAddSingleton<AlertFingerprinter>();
        services.TryAddSingleton<AlertNormalizer>();
        return services;
    }

    public static IEndpointRouteBuilder MapIngestion(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/ingest").WithTags("Ingestion");
        group.MapPost("/webhook", (HttpContext context, WebhookHandler handler) => handler.HandleAsync(context, null))
            .WithName("IngestWebhook")
            .WithSummary("Accept alerts in any supported format (detected from the body).")
            .Produces<WebhookAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429).ProducesProblem(503);
        group.MapPost("/{format}", (HttpContext context, string format, WebhookHandler handler) => handler.HandleAsync(context, format))
            .WithName("IngestFormat")
            .WithSummary("Accept alerts in a named format: generic, splunk, elastic, wazuh, alertmanager, sentinel, qradar, cef.")
            .Produces<WebhookAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429).ProducesProblem(503);

        // Splunk HTTP Event Collector clients know these paths and nothing else; /event/1.0 is HEC's versioned alias.
        var hec = endpoints.MapGroup("/services/collector").WithTags("Ingestion (Splunk HEC)");
        foreach (var path in new[] { "", "/event", "/event/1.0" })
        {
            hec.MapPost(path, (HttpContext context, HecHandler handler) => handler.HandleEventsAsync(context))
                .WithName("HecEvent" + path.Replace("/", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal))
                .WithSummary("Splunk HEC-compatible: 'Authorization: Splunk <ingest key>', concatenated {\"event\":..} objects.")
                .Produces<HecAccepted>(StatusCodes.Status200OK)
                .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(413).ProducesProblem(503);
        }

        hec.MapPost("/ack", (HttpContext context, HecHandler handler) => handler.HandleAckAsync(context))
            .WithName("HecAck")
            .WithSummary("Splunk HEC indexer acknowledgement: which ack ids of this key's channel are confirmed.")
            .Produces<HecAckStatus>(StatusCodes.Status200OK)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        return endpoints;
    }

    /// <summary>
    /// Registers the <see cref="SiemAlert"/> consumer. <paramref name="endpointName"/> overrides the queue name
    /// (default from the bus's endpoint name formatter).
    /// </summary>
    public static void AddIngestionConsumers(this IBusRegistrationConfigurator bus, string? endpointName = null)
    {
        var consumer = bus.AddConsumer<SiemAlertConsumer, SiemAlertConsumerDefinition>();
        if (endpointName is not null)
        {
            consumer.Endpoint(e => e.Name = endpointName);
        }
    }
}
