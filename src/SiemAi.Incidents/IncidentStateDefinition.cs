using MassTransit;
using SiemAi.EventStore;
using SiemAi.Incidents.Persistence;

namespace SiemAi.Incidents;

/// <summary>
/// Endpoint settings for the saga: one incident's messages are handled one at a time in a process
/// (partitioned by incident id); a concurrent writer in another process causes a retry, not a lost update.
/// </summary>
public sealed class IncidentStateDefinition : SagaDefinition<IncidentState>
{
    public IncidentStateDefinition()
    {
        EndpointName = "incident-saga";
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<IncidentState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<IncidentConcurrencyException>();
            r.Handle<WrongExpectedVersionException>();
            r.Handle<Npgsql.NpgsqlException>(e => e.IsTransient);
            r.Handle<Npgsql.PostgresException>(e => e.SqlState is "40001" or "40P01" or "23505" or "57P01" or "57P03" or "08006" or "08001");
            r.Handle<TimeoutException>();
            r.Intervals(50, 100, 200, 500, 1000, 2000, 5000, 5000, 10000, 10000);
        });
        var partition = endpointConfigurator.CreatePartitioner(ConcurrentMessageLimit ?? 32);
        sagaConfigurator.Message<Contracts.AlertReceived>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.PlaybookGenerated>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.PlaybookGenerationFailed>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.PlaybookVerified>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.SubmitApprovalDecision>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.RecordCabDecision>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.PlaybookRunCompleted>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.PlaybookRunFailed>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
        sagaConfigurator.Message<Contracts.IncidentTimerElapsed>(x => x.UsePartitioner(partition, m => m.Message.IncidentId));
    }
}
