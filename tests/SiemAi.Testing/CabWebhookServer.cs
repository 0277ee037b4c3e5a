using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SiemAi.Testing;

/// <summary>
/// Plays ServiceNow's change-request API on loopback: records each change request and answers the first
/// attempt of each with 503, so the host's retries are exercised on every request.
/// </summary>
public sealed class CabWebhookServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;
    private readonly ConcurrentDictionary<string, int> attempts = new();

    public CabWebhookServer()
    {
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}/api/now/table/change_request");
    public ConcurrentQueue<JsonObject> ChangeRequests { get; } = new();
    public int TotalAttempts => attempts.Values.Sum();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return; // stopped
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var json = JsonNode.Parse(body)!.AsObject();
            var key = json["correlation_id"]?.ToString() ?? string.Empty;
            var attempt = attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (attempt == 1)
            {
                context.Response.StatusCode = 503;
                context.Response.Close();
                continue;
            }

            ChangeRequests.Enqueue(json);
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            var answer = Encoding.UTF8.GetBytes(new JsonObject { ["result"] = new JsonObject { ["number"] = $"CHG{ChangeRequests.Count:D7}", ["sys_id"] = Guid.NewGuid().ToString("N") } }.ToJsonString());
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
