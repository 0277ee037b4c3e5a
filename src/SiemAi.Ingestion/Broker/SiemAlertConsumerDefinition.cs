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
            // The producer already has RabbitMQ's confirm: giving up here parks its alert in the error queue,
            // out of the pipeline. So wait out a database restart or failover (about half a minute, the
            // saga's budget too), not just a blip; 200 ms, 1 s, 5 s lost every alert of a 12 s outage.
            retry.Intervals(200, 500, 1000, 2000, 5000, 5000, 10000, 10000);
        });
    }
}
