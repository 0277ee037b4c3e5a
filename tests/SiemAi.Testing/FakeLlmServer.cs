using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SiemAi.Testing;

/// <summary>A small OpenAI-compatible chat completions endpoint on 127.0.0.1, playing the LLM vendor.</summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Received, int, (int Status, string Body, TimeSpan Delay)> _respond;
    private readonly Task _loop;
    private int _count;
    private int _abandoned;

    /// <summary>Answers by the request's number (1, 2, …), whatever was asked.</summary>
    public FakeLlmServer(Func<int, (int Status, string Body, TimeSpan Delay)> respond)
        : this((_, n) => respond(n))
    {
    }

    /// <summary>Answers by what was asked (the request body holds the prompt) and the request's number.</summary>
    public FakeLlmServer(Func<Received, int, (int Status, string Body, TimeSpan Delay)> respond)
    {
        _respond = respond;
        var port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1/chat/completions");
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Received(string Path, string? Authorization, string Body);

    public Uri Endpoint { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Responses the client gave up on before they were written (timeouts).</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    public static (int, string, TimeSpan) Answer(string content, TimeSpan delay = default) =>
        (200, Completion(content), delay);

    public static string Completion(string content) => new JsonObject
    {
        ["id"] = "chatcmpl-test",
        ["object"] = "chat.completion",
        ["model"] = "test-model",
        ["choices"] = new JsonArray
        {
            new JsonObject
            {
                ["index"] = 0,
                ["finish_reason"] = "stop",
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            },
        },
    }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // The listener was closed under the pending GetContextAsync: that is how the loop ends.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var received = new Received(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body);
        Requests.Enqueue(received);
        var (status, responseBody, delay) = _respond(received, Interlocked.Increment(ref _count));
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _stop.Token);
            }

            var bytes = Encoding.UTF8.GetBytes(responseBody);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client timed out and went away, or the test ended: count it, nothing to answer.
            Interlocked.Increment(ref _abandoned);
        }
    }
}
