using MassTransit;
using SiemAi.Incidents.Model.Events;
using SiemAi.Incidents.Outbox;
using SiemAi.Incidents.Timers;

namespace SiemAi.Incidents.Audit;

/// <summary>What a transition does besides changing state: audit events, outgoing messages, timers.</summary>
public static class TransitionContextExtensions
{
    public const string SagaActor = "service:saga";

    public static void Audit(this BehaviorContext<IncidentState> context, IIncidentEvent e, string? actor = null) =>
        context.Saga.PendingEvents.Add(new AuditRecord(e, actor ?? SagaActor, context.Saga.PlaybookSha256));

    /// <summary>
    /// Sends through the transactional outbox when the PostgreSQL repository handles this message,
    /// else (the in-memory repository of specs and benchmarks) publishes directly.
    /// </summary>
    public static Task Enqueue(this BehaviorContext<IncidentState> context, object message) =>
        context.TryGetPayload<TransitionOutbox>(out var outbox)
            ? Add(outbox, message)
            : context.Publish(message, message.GetType());

    public static Guid ScheduleTimer(this BehaviorContext<IncidentState> context, string kind, TimeSpan after)
    {
        var id = NewId.NextGuid();
        context.Saga.PendingTimers.Add(new TimerRequest(id, kind, DateTimeOffset.UtcNow + after, Cancel: false));
        return id;
    }

    public static void CancelTimer(this BehaviorContext<IncidentState> context, Guid? timerId)
    {
        if (timerId is { } id)
        {
            context.Saga.PendingTimers.Add(new TimerRequest(id, string.Empty, DateTimeOffset.UtcNow, Cancel: true));
        }
    }

    private static Task Add(TransitionOutbox outbox, object message)
    {
        outbox.Add(message);
        return Task.CompletedTask;
    }
}
