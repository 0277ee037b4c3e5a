using MassTransit;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Tests.Support;

public sealed class AlertCollectorConsumer(AlertCollector collector) : IConsumer<AlertReceived>
{
    public Task Consume(ConsumeContext<AlertReceived> context)
    {
        collector.Add(context.Message);
        return Task.CompletedTask;
    }
}
