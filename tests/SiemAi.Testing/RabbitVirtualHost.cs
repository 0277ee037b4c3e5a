using System.Net.Http.Headers;
using System.Text;

namespace SiemAi.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for a test fixture (created through the management API on the real
/// broker, deleted on dispose), so queues of parallel tests and of a developer's running host never mix.
/// </summary>
public sealed class RabbitVirtualHost : IAsyncDisposable
{
    private readonly HttpClient http;

    private RabbitVirtualHost(HttpClient http, string name)
    {
        this.http = http;
        Name = name;
    }

    public string Name { get; }

    /// <summary>This virtual host on the shared broker, with the shared user.</summary>
    public BrokerEndpoint Endpoint => new(ServiceSettings.RabbitHost, ServiceSettings.RabbitPort, Name, ServiceSettings.RabbitUser, ServiceSettings.RabbitPassword);

    public static async Task<RabbitVirtualHost> CreateAsync(string prefix = "t")
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{ServiceSettings.RabbitHost}:{ServiceSettings.Optional("RABBITMQ_MANAGEMENT_PORT", "15672")}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ServiceSettings.RabbitUser}:{ServiceSettings.RabbitPassword}")));
        var name = $"siemai-{prefix}-{Guid.NewGuid():N}";
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(ServiceSettings.RabbitUser)}",
            new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        return new RabbitVirtualHost(http, name);
    }

    /// <summary>Messages waiting in a queue of this virtual host (null when the queue does not exist).</summary>
    public async Task<long?> QueueDepthAsync(string queue)
    {
        using var response = await http.GetAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("messages", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.Number ? m.GetInt64() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        using (await http.DeleteAsync($"api/vhosts/{Name}"))
        {
        }

        http.Dispose();
    }
}
