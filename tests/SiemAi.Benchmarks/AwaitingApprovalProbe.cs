using MassTransit;
using SiemAi.Contracts;

namespace SiemAi.Benchmarks;

/// <summary>Follows <see cref="IncidentStatusChanged"/> like a dashboard would; an incident is done when it reaches AwaitingApproval.</summary>
public sealed class AwaitingApprovalProbe(CompletionTracker tracker) : IConsumer<IncidentStatusChanged>
{
    public Task Consume(ConsumeContext<IncidentStatusChanged> context)
    {
        if (context.Message.To == "AwaitingApproval")
        {
            tracker.Reached(context.Message.IncidentId);
        }

        return Task.CompletedTask;
    }
}
