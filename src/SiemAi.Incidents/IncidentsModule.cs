using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SiemAi.Http;
using SiemAi.Incidents.Outbox;
using SiemAi.Incidents.Persistence;
using SiemAi.Incidents.Timers;

namespace SiemAi.Incidents;

public static class IncidentsModule
{
    /// <summary>Options, and (for the saga role) the outbox relay and timer sweeper.</summary>
    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder, bool runSaga)
    {
        builder.Services.AddOptions<IncidentOptions>()
            .BindConfiguration(IncidentOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration["DUAL_CONTROL_ENABLED"] is { Length: > 0 } dual)
                {
                    options.DualControlEnabled = Settings.Boolean("DUAL_CONTROL_ENABLED", dual);
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => o.ApprovalDeadlines.Values.All(d => d > TimeSpan.Zero), "Incidents:ApprovalDeadlines must all be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        if (runSaga)
        {
            builder.Services.AddHostedService<OutboxRelay>();
            builder.Services.AddHostedService<TimerSweeper>();
        }

        return builder;
    }

    /// <summary>The incident saga on the PostgreSQL repository (needs an <see cref="IncidentDataSource"/> registered).</summary>
    public static void AddIncidentSaga(this IBusRegistrationConfigurator bus) =>
        bus.AddSagaStateMachine<IncidentStateMachine, IncidentState, IncidentStateDefinition>()
            .Repository(r => r.RegisterSagaRepository<IncidentState, IncidentDbContext,
                SagaConsumeContextFactory<IncidentDbContext, IncidentState>, PostgresIncidentRepositoryContextFactory>());
}
