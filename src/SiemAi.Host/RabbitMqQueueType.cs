namespace SiemAi.Host;

/// <summary>How SiemAi's receive endpoints declare their queues (<c>RABBITMQ_QUEUE_TYPE</c>).</summary>
public enum RabbitMqQueueType
{
    /// <summary>One node holds each queue: what a single broker offers.</summary>
    Classic,

    /// <summary>Raft-replicated over the cluster's nodes; a publisher confirm waits for a majority.</summary>
    Quorum,
}
