using MassTransit;

namespace SiemAi.Host;

/// <summary>
/// Declares a SiemAi receive endpoint's queue as a quorum queue, with a delivery limit whose dead letters go
/// to the same <c>{queue}_error</c> queue MassTransit moves a faulted message to.
/// </summary>
/// <remarks>
/// MassTransit declares <c>{queue}_error</c> (and <c>_skipped</c>) with a copy of the input queue's arguments,
/// so the error queue is a quorum queue too, with these very arguments. It does so on the first fault only; a
/// message dead-lettered by the delivery limit before that would find no exchange and be dropped. So the
/// error exchange and queue are bound up front, with arguments identical to the copy MassTransit will later
/// declare (a declaration with different arguments would be refused by the broker).
/// </remarks>
public static class QuorumQueues
{
    public static void Apply(string queueName, IReceiveEndpointConfigurator endpoint, RabbitMqSettings settings)
    {
        if (settings.QueueType != RabbitMqQueueType.Quorum || endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            return;
        }

        var errorExchange = $"{queueName}_error";
        rabbit.SetQuorumQueue();
        foreach (var (key, value) in Arguments(errorExchange, settings.DeliveryLimit))
        {
            rabbit.SetQueueArgument(key, value);
        }

        rabbit.BindDeadLetterQueue(errorExchange, errorExchange, error =>
        {
            error.SetQuorumQueue();
            foreach (var (key, value) in Arguments(errorExchange, settings.DeliveryLimit))
            {
                error.SetQueueArgument(key, value);
            }
        });
    }

    /// <summary>
    /// At-least-once dead-lettering (RabbitMQ 3.10+): the message leaves the source queue only once the error
    /// queue confirmed it; it needs <c>reject-publish</c> overflow, which has no effect without a length limit.
    /// </summary>
    private static IEnumerable<(string Key, object Value)> Arguments(string errorExchange, int deliveryLimit) =>
    [
        ("x-delivery-limit", deliveryLimit),
        ("x-dead-letter-exchange", errorExchange),
        ("x-dead-letter-strategy", "at-least-once"),
        ("x-overflow", "reject-publish"),
    ];
}
