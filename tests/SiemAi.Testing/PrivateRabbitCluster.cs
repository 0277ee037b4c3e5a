using System.Globalization;
using System.Security.Cryptography;

namespace SiemAi.Testing;

/// <summary>
/// Three (or more) <see cref="PrivateRabbitNode"/>s of one fixture clustered together, as an operator does it:
/// one Erlang cookie for all, the first node booted alone, each other one stopped (<c>stop_app</c>), joined to
/// it (<c>join_cluster</c>) and started again. Each node keeps its own name, AMQP and distribution ports on
/// loopback, and data folder; the user created on the first node's first boot is the cluster's. Tests kill
/// and restart nodes at will; disposal kills all and removes their folders.
/// </summary>
public sealed class PrivateRabbitCluster : IAsyncDisposable
{
    private PrivateRabbitCluster(IReadOnlyList<PrivateRabbitNode> nodes) => Nodes = nodes;

    public IReadOnlyList<PrivateRabbitNode> Nodes { get; }

    /// <summary><c>RABBITMQ_NODES</c> for the host: every node's loopback AMQP address.</summary>
    public string NodeList => string.Join(',', Nodes.Select(n => $"127.0.0.1:{n.AmqpPort.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The first node's endpoint; the user and password are the cluster's.</summary>
    public BrokerEndpoint Endpoint => Nodes[0].Endpoint;

    /// <summary>Boots <paramref name="size"/> nodes one after the other and clusters them; bounded by <paramref name="within"/> per node.</summary>
    public static async Task<PrivateRabbitCluster> StartAsync(int size = 3, TimeSpan? within = null)
    {
        var cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var nodes = new List<PrivateRabbitNode>();
        try
        {
            nodes.Add(await PrivateRabbitNode.StartNewAsync(within, cookie));
            for (var i = 1; i < size; i++)
            {
                var node = await PrivateRabbitNode.StartNewAsync(within, cookie);
                nodes.Add(node);
                await node.RequireCtlAsync("rabbitmqctl", "stop_app");
                await node.RequireCtlAsync("rabbitmqctl", "join_cluster", nodes[0].NodeName);
                await node.RequireCtlAsync("rabbitmqctl", "start_app");
                await node.RequireCtlAsync("rabbitmqctl", "await_startup", "--timeout", "120");
            }

            var cluster = new PrivateRabbitCluster(nodes);
            var running = await cluster.RunningNodesAsync(nodes[0]);
            return running.Count == size
                ? cluster
                : throw new InvalidOperationException($"the cluster runs {running.Count} of {size} nodes: {string.Join(", ", running)}");
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The nodes the cluster reports running, as <paramref name="askedNode"/> sees it.</summary>
    public async Task<IReadOnlyList<string>> RunningNodesAsync(PrivateRabbitNode askedNode)
    {
        var status = await askedNode.RequireCtlAsync("rabbitmqctl", "eval", "rabbit_nodes:all_running().");
        return [.. status.Trim('[', ']', ' ', '\n').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim('\''))];
    }

    /// <summary>
    /// Every queue of the default virtual host with its type, its members and the members online, as one running
    /// node reports them (<c>rabbitmqctl list_queues name type members online</c>).
    /// </summary>
    public async Task<IReadOnlyList<ClusterQueue>> QueuesAsync()
    {
        var node = Nodes.First(n => n.IsRunning);
        var text = await node.RequireCtlAsync("rabbitmqctl", "list_queues", "name", "type", "members", "online", "messages", "--formatter", "json");
        using var json = System.Text.Json.JsonDocument.Parse(text);
        return [.. json.RootElement.EnumerateArray().Select(q => new ClusterQueue(
            q.GetProperty("name").GetString()!,
            q.GetProperty("type").GetString()!,
            Names(q, "members"),
            Names(q, "online"),
            q.TryGetProperty("messages", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.Number ? m.GetInt64() : 0))];
    }

    /// <summary>What each node holds and the cluster's queue replicas, for a failure message; never throws.</summary>
    public async Task<string> DescribeAsync()
    {
        var parts = new List<string>();
        foreach (var node in Nodes)
        {
            parts.Add($"=== {node.NodeName} (AMQP {node.AmqpPort}, {(node.IsRunning ? "running" : "down")}):\n{await node.DescribeAsync()}");
        }

        try
        {
            parts.Add("=== quorum replicas:\n" + string.Join('\n', (await QueuesAsync()).Select(q => q.ToString())));
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Text.Json.JsonException)
        {
            parts.Add($"=== quorum replicas: {ex.Message}");
        }

        return string.Join('\n', parts);
    }

    public string Tails(int lines = 15) => string.Join('\n', Nodes.Select(n => $"--- {n.NodeName} log tail:\n{n.Tail(lines)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static string[] Names(System.Text.Json.JsonElement queue, string property) =>
        queue.TryGetProperty(property, out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.GetString()!)]
            : [];
}
