using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using SiemAi.Incidents.Outbox;

namespace SiemAi.Incidents.Persistence;

/// <summary>
/// The repository context for one consumed message. Saga consume contexts are built on this scope,
/// which carries the <see cref="TransitionOutbox"/> payload, so the state machine's messages land in
/// the outbox table instead of going straight to the broker.
/// </summary>
public sealed class PostgresIncidentRepositoryContext<TMessage>(
    IncidentDbContext db,
    ConsumeContext<TMessage> messageContext,
    ISagaConsumeContextFactory<IncidentDbContext, IncidentState> factory,
    TransitionOutbox outbox)
    : ConsumeContextScope<TMessage>(messageContext, outbox), SagaRepositoryContext<IncidentState, TMessage>
    where TMessage : class
{
    public Task<SagaConsumeContext<IncidentState, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, IncidentState instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(db, consumeContext.TryGetPayload<TransitionOutbox>(out _) ? consumeContext : new ConsumeContextScope<T>(consumeContext, outbox), instance, mode);

    public Task<SagaConsumeContext<IncidentState, TMessage>> Add(IncidentState instance) =>
        factory.CreateSagaConsumeContext(db, this, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<IncidentState, TMessage>> Insert(IncidentState instance)
    {
        await IncidentSagaWriter.SaveAsync(db, instance, insert: true, MessageId, CancellationToken);
        return await factory.CreateSagaConsumeContext(db, this, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<IncidentState, TMessage>> Load(Guid correlationId)
    {
        var instance = await IncidentSagaWriter.LoadAsync(db, correlationId, CancellationToken);
        return instance is null ? null! : await factory.CreateSagaConsumeContext(db, this, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<IncidentState> context) =>
        IncidentSagaWriter.SaveAsync(db, context.Saga, insert: true, MessageId, CancellationToken);

    public Task Update(SagaConsumeContext<IncidentState> context) =>
        IncidentSagaWriter.SaveAsync(db, context.Saga, insert: false, MessageId, CancellationToken);

    /// <summary>Incidents are never deleted: finished ones stay for the read model and the audit trail.</summary>
    public Task Delete(SagaConsumeContext<IncidentState> context) =>
        IncidentSagaWriter.SaveAsync(db, context.Saga, insert: false, MessageId, CancellationToken);

    public Task Discard(SagaConsumeContext<IncidentState> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<IncidentState> context) => Task.CompletedTask;
}
