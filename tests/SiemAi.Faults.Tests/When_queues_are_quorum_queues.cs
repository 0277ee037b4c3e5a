using System.Text;
using RabbitMQ.Client;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host on a private RabbitMQ node with <c>RABBITMQ_QUEUE_TYPE=quorum</c>: every SiemAi queue is a quorum
/// queue, alerts still become incidents, and both ways a message can fail keep today's <c>_error</c> queue: a
/// message a consumer faults on is moved there by MassTransit, and one handed out more often than
/// <c>RABBITMQ_DELIVERY_LIMIT</c> (a consumer process dying on it) is dead-lettered there by the broker.
/// </summary>
public sealed class When_queues_are_quorum_queues(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AlertQueue = "siem-alert";
    private const string AlertErrorQueue = "siem-alert_error";
    private readonly string ingestKey = "quorum-" + Guid.NewGuid().ToString("N");
    private PrivateRabbitNode node = null!;
    private ScratchDatabase database = null!;
    private HostProcess Host { get; set; } = null!;

    public async Task InitializeAsync()
    {
        node = await PrivateRabbitNode.StartNewAsync();
        database = await ScratchDatabase.CreateAsync("qq");
        var env = HostEnvironment.For(database, node.Endpoint, "ingestion,saga,generator,safety", ingestKey);
        env["Safety__SyntaxCheck"] = "false";
        env["RATE_LIMIT"] = "off";
        env["RABBITMQ_QUEUE_TYPE"] = "quorum";
        env["RABBITMQ_DELIVERY_LIMIT"] = "3";
        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await database.DisposeAsync();
        await node.DisposeAsync();
    }

    [Fact]
    public async Task Every_queue_is_quorum_and_a_poison_message_reaches_the_error_queue_by_fault_and_by_delivery_limit()
    {
        var queues = await QueueTypesAsync();
        foreach (var queue in new[] { AlertQueue, "incident-saga", "generate-playbook", "verify-playbook", AlertErrorQueue })
        {
            Assert.True(queues.TryGetValue(queue, out var type) && type == "quorum", $"{queue} is not a quorum queue; queues: {Describe(queues)}");
        }

        Assert.DoesNotContain(queues, q => q.Value != "quorum" && !IsBusOwnQueue(q.Key));

        // An alert still becomes its incident on quorum queues.
        var run = Guid.NewGuid().ToString("N")[..8];
        using var producer = new OutageWebhookProducer(Host, ingestKey, run);
        Assert.True((await producer.SendAsync(0)).Accepted, producer.Summary());
        var trail = new OutageTrail(database, run);
        await OutageTrail.WaitForAsync(async () => await trail.IncidentsAsync("AwaitingApproval") == 1, TimeSpan.FromSeconds(90),
            async () => $"the alert is not at AwaitingApproval: {await trail.StragglersAsync("AwaitingApproval")}\n{Host.Tail()}");

        var factory = new ConnectionFactory { HostName = node.Endpoint.Host, Port = node.Endpoint.Port, UserName = node.Endpoint.User, Password = node.Endpoint.Password };
        await using var connection = await factory.CreateConnectionAsync();

        // A fault: the consumer cannot read the body; MassTransit moves it to the error queue (declared with the
        // input queue's arguments, which the broker must accept as the queue bound up front).
        var faultMarker = "poison-fault-" + run;
        await PublishAsync(connection, "SiemAi.Contracts:SiemAlert", Encoding.UTF8.GetBytes($"{{\"message\": \"{faultMarker}\", \"messageType\": [\"urn:message:SiemAi.Contracts:SiemAlert\"], \"not\": json"));
        await WaitForAsync(async () => (await ErrorMessagesAsync(connection)).Count >= 1, TimeSpan.FromSeconds(60), "the faulted message in the error queue");
        var faulted = await ErrorMessagesAsync(connection);
        var fault = Assert.Single(faulted, m => m.Body.Contains(faultMarker, StringComparison.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(fault.FaultMessage), $"no MT-Fault-Message on the faulted message: {fault.Headers}");

        // A crash loop: nothing of SiemAi consumes (the host is down) and a consumer gives the message back again and
        // again, as a process dying on it would. After the limit the broker dead-letters it to the same error queue.
        await Host.KillAsync();
        var crashMarker = "poison-crash-" + run;
        await PublishAsync(connection, "SiemAi.Contracts:SiemAlert", Encoding.UTF8.GetBytes(crashMarker));
        await using var channel = await connection.CreateChannelAsync();
        var deliveries = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !(await ErrorMessagesAsync(connection)).Any(m => m.Body.Contains(crashMarker, StringComparison.Ordinal)))
        {
            if (await channel.BasicGetAsync(AlertQueue, autoAck: false) is { } message)
            {
                deliveries++;
                await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true);
            }
            else
            {
                await Task.Delay(100);
            }
        }

        var errors = await ErrorMessagesAsync(connection);
        var crashed = Assert.Single(errors, m => m.Body.Contains(crashMarker, StringComparison.Ordinal));
        Assert.Contains("delivery_limit", crashed.Headers, StringComparison.Ordinal);
        Assert.Equal(4, deliveries);
        Assert.Equal(0, (await ClusterQueueAsync(AlertQueue)).Messages);
        output.WriteLine($"quorum queues: {Describe(queues)}; crash-looped message dead-lettered after {deliveries} deliveries; error queue holds {errors.Count}");
    }

    private static bool IsBusOwnQueue(string name) => name.Contains("bus-", StringComparison.Ordinal) || name.StartsWith("amq.", StringComparison.Ordinal);

    private static string Describe(Dictionary<string, string> queues) => string.Join(", ", queues.Select(q => $"{q.Key}={q.Value}"));

    private async Task<Dictionary<string, string>> QueueTypesAsync()
    {
        var text = await node.RequireCtlAsync("rabbitmqctl", "list_queues", "name", "type", "--no-table-headers");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t', StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
    }

    private async Task<(string Name, long Messages)> ClusterQueueAsync(string name)
    {
        var text = await node.RequireCtlAsync("rabbitmqctl", "list_queues", "name", "messages", "--no-table-headers");
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', StringSplitOptions.TrimEntries)).Single(p => p[0] == name);
        return (line[0], long.Parse(line[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The error queue's messages, read and put back (requeued) as an operator peeking at them does: the error
    /// queue has no delivery limit, so however often they are read they stay.
    /// </summary>
    private static async Task<List<(string Body, string Headers, string? FaultMessage)>> ErrorMessagesAsync(IConnection connection)
    {
        await using var channel = await connection.CreateChannelAsync();
        var seen = new List<(string, string, string?)>();
        while (await channel.BasicGetAsync(AlertErrorQueue, autoAck: false) is { } message)
        {
            var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
            string Text(object? value) => value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                IEnumerable<object> list => string.Join(";", list.Select(Text)),
                IDictionary<string, object?> map => "{" + string.Join(",", map.Select(kv => $"{kv.Key}={Text(kv.Value)}")) + "}",
                _ => value?.ToString() ?? "",
            };
            seen.Add((Encoding.UTF8.GetString(message.Body.Span), string.Join(" ", headers.Select(h => $"{h.Key}={Text(h.Value)}")),
                headers.TryGetValue("MT-Fault-Message", out var reason) ? Text(reason) : null));
        }

        // Closing the channel returns every unacknowledged message to the queue, as it was.
        return seen;
    }

    private static async Task PublishAsync(IConnection connection, string exchange, byte[] body)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, body);
    }

    private async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {within.TotalSeconds} s for {what}\n{await node.DescribeAsync()}\n{Host.Tail()}");
            }

            await Task.Delay(250);
        }
    }
}
