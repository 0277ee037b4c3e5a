using System.Globalization;

namespace SiemAi.Host;

/// <summary>
/// RabbitMQ from <c>RABBITMQ_HOST/PORT/USER/PASSWORD/VHOST</c> (the seed's <c>REDIS_*</c> became these), or a
/// cluster from <c>RABBITMQ_NODES</c> (<c>host:port,host:port,…</c>; a node without a port uses
/// <c>RABBITMQ_PORT</c>). <c>RABBITMQ_QUEUE_TYPE</c> (<c>quorum</c> or <c>classic</c>) defaults to quorum when
/// more than one node is named; <c>RABBITMQ_DELIVERY_LIMIT</c> bounds how often a quorum queue hands out one
/// message before it dead-letters it to the endpoint's <c>_error</c> queue.
/// </summary>
public sealed record RabbitMqSettings(
    string Host,
    ushort Port,
    string VirtualHost,
    string User,
    string Password,
    IReadOnlyList<RabbitMqNode> Nodes,
    RabbitMqQueueType QueueType,
    int DeliveryLimit)
{
    /// <summary>
    /// Deliveries of one message before a quorum queue dead-letters it: MassTransit's own retries happen
    /// in-process and count once, so only a consumer process dying on the message (or its connection
    /// dropping) adds to the count; twenty such crashes is a poison message, not bad luck.
    /// </summary>
    public const int DefaultDeliveryLimit = 20;

    public static RabbitMqSettings From(IConfiguration configuration)
    {
        var portText = configuration["RABBITMQ_PORT"] ?? "5672";
        if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            throw new InvalidOperationException($"RABBITMQ_PORT must be a port number, not '{portText}'.");
        }

        var nodes = ParseNodes(configuration["RABBITMQ_NODES"], port)
            ?? [new RabbitMqNode(configuration["RABBITMQ_HOST"] ?? "127.0.0.1", port)];
        var queueType = configuration["RABBITMQ_QUEUE_TYPE"]?.Trim().ToLowerInvariant() switch
        {
            null or "" => nodes.Count > 1 ? RabbitMqQueueType.Quorum : RabbitMqQueueType.Classic,
            "quorum" => RabbitMqQueueType.Quorum,
            "classic" => RabbitMqQueueType.Classic,
            _ => throw new InvalidOperationException(
                $"RABBITMQ_QUEUE_TYPE must be quorum or classic, not '{configuration["RABBITMQ_QUEUE_TYPE"]}'."),
        };
        var limitText = configuration["RABBITMQ_DELIVERY_LIMIT"];
        var deliveryLimit = DefaultDeliveryLimit;
        if (!string.IsNullOrWhiteSpace(limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out deliveryLimit) || deliveryLimit < 1))
        {
            throw new InvalidOperationException($"RABBITMQ_DELIVERY_LIMIT must be a whole number of deliveries, 1 or more, not '{limitText}'.");
        }

        return new RabbitMqSettings(
            nodes[0].Host,
            nodes[0].Port,
            configuration["RABBITMQ_VHOST"] ?? "/",
            configuration["RABBITMQ_USER"] ?? throw new InvalidOperationException("RABBITMQ_USER is not set. Run infra/local/services.sh to get local settings."),
            configuration["RABBITMQ_PASSWORD"] ?? throw new InvalidOperationException("RABBITMQ_PASSWORD is not set."),
            nodes,
            queueType,
            deliveryLimit);
    }

    private static List<RabbitMqNode>? ParseNodes(string? text, ushort defaultPort)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var nodes = new List<RabbitMqNode>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (entry.Length == 0)
            {
                throw new InvalidOperationException($"RABBITMQ_NODES has an empty entry in '{text}': list nodes as host:port,host:port.");
            }

            var colon = entry.LastIndexOf(':');
            var host = colon < 0 ? entry : entry[..colon];
            var nodePort = defaultPort;
            if (colon >= 0 && (!ushort.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out nodePort) || nodePort == 0))
            {
                throw new InvalidOperationException($"RABBITMQ_NODES entry '{entry}' must be host:port with a port number.");
            }

            if (host.Length == 0 || host.Any(char.IsWhiteSpace))
            {
                throw new InvalidOperationException($"RABBITMQ_NODES entry '{entry}' has no host name.");
            }

            var node = new RabbitMqNode(host, nodePort);
            if (nodes.Contains(node))
            {
                throw new InvalidOperationException($"RABBITMQ_NODES names {node} twice.");
            }

            nodes.Add(node);
        }

        return nodes;
    }
}
