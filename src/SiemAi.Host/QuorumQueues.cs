using MassTransit;

namespace SiemAi.Host;

/// <summary>
/// Declares a SiemAi receive endpoint's queue as a quorum queue, with a delivery limit whose dead letters go
/// to the same <c>{queue}_error</c> queue MassTransit moves a faulted message to.
/// </summary>
/// <remarks>
/// MassTransit declares <c>{queue}_error</c> (and <c>_skipped</c>) with a copy of the input queue's arguments, on
/// the first fault only. A message dead-lettered by the delivery limit before that would find no exchange and be
/// dropped, so the error exchange and queue are bound up front. The error queue keeps the quorum type (a poison
/// alert is evidence, and is replicated too) but not the delivery limit nor the dead-lettering: nothing consumes
/// it but operators, and an operator peeking at it (get, then requeue) must never make a message leave it.
/// <see cref="ForErrorQueue"/> strips the copy the same way, so both declarations agree (the broker refuses a
/// second declaration with other arguments).
/// </remarks>
public static class QuorumQueues
{
    private static readonly string[] InputOnly = ["x-delivery-limit", "x-dead-letter-exchange", "x-dead-letter-strategy", "x-overflow"];

    public static void Apply(string queueName, IReceiveEndpointConfigurator endpoint, RabbitMqSettings settings)
    {
        if (settings.QueueType != RabbitMqQueueType.Quorum || endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            return;
        }

        var errorExchange = $"{queueName}_error";
        rabbit.SetQuorumQueue();
        // At-least-once dead-lettering (RabbitMQ 3.10+): the message leaves the input queue only once the error
        // queue confirmed it; it needs reject-publish overflow, which does nothing without a length limit.
        rabbit.SetQueueArgument("x-delivery-limit", settings.DeliveryLimit);
        rabbit.SetQueueArgument("x-dead-letter-exchange", errorExchange);
        rabbit.SetQueueArgument("x-dead-letter-strategy", "at-least-once");
        rabbit.SetQueueArgument("x-overflow", "reject-publish");
        rabbit.BindDeadLetterQueue(errorExchange, errorExchange, error => error.SetQuorumQueue());
    }

    /// <summary>For MassTransit's error and skipped queues: the input queue's arguments minus its delivery limit and dead-lettering.</summary>
    public static void ForErrorQueue(IRabbitMqQueueBindingConfigurator queue)
    {
        foreach (var key in InputOnly)
        {
            queue.SetQueueArgument(key, null);
        }
    }
}
