using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace SiemAi.Incidents.Persistence;

/// <summary>Loads incidents outside a message (job-style access by id).</summary>
public sealed class PostgresIncidentLoadContext(IncidentDbContext db, CancellationToken cancellationToken)
    : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<IncidentState>, QuerySagaRepositoryContext<IncidentState>
{
    public Task<IncidentState?> Load(Guid correlationId) => IncidentSagaWriter.LoadAsync(db, correlationId, CancellationToken);

    Task<IncidentState> LoadSagaRepositoryContext<IncidentState>.Load(Guid correlationId) => Load(correlationId)!;

    /// <summary>Incidents correlate by id only; a query correlation would scan every saga row.</summary>
    public Task<SagaRepositoryQueryContext<IncidentState>> Query(ISagaQuery<IncidentState> query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Incidents correlate by IncidentId only; query correlation is not supported.");
}
