using FluentValidation;
using MassTransit;
using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Broker;

/// <summary>
/// Transient failures (database, broker) are retried; a message that failed validation never will pass,
/// so it goes straight to the error queue.
/// </summary>
public sealed class SiemAlertConsumerDefinition : ConsumerDefinition<SiemAlertConsumer>
{
    public SiemAlertConsumerDefinition()
    {
        ConcurrentMessageLimit = 64;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SiemAlertConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<ValidationException>();
            retry.Ignore<PayloadRejectedException>();
            retry.Intervals(200, 1000, 5000);
        });
    }
}
