using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// A SIEM sending generic alerts to the host's webhook through an outage, as a well-behaved producer does:
/// an alert that got no 202 is sent again later with the same <c>alertId</c>, so the host can recognise it.
/// Each alert has its own host, address and rule, so each opens its own incident.
/// </summary>
public sealed class OutageWebhookProducer(HostProcess host, string ingestKey, string run) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<int, Guid> alertIds = new();
    private readonly ConcurrentQueue<OutageWebhookAnswer> answers = new();

    public string Run => run;
    public IReadOnlyList<OutageWebhookAnswer> Answers => [.. answers];
    public IReadOnlyCollection<Guid> AlertIds => [.. alertIds.Values];
    public int AcceptedCount => answers.Count(a => a.Accepted);

    /// <summary>The alertId alert number <paramref name="alert"/> was sent with.</summary>
    public Guid IdOf(int alert) => alertIds[alert];

    /// <summary>Alerts sent at least once that no 202 acknowledged yet.</summary>
    public IReadOnlyList<int> Unacknowledged
    {
        get
        {
            var accepted = answers.Where(a => a.Accepted).Select(a => a.Alert).ToHashSet();
            return [.. alertIds.Keys.Where(n => !accepted.Contains(n)).Order()];
        }
    }

    public async Task<OutageWebhookAnswer> SendAsync(int alert)
    {
        var id = alertIds.GetOrAdd(alert, _ => Guid.NewGuid());
        var body = JsonSerializer.Serialize(new
        {
            alertId = id,
            source = "outage-test",
            title = $"Beacon to C2 {run} #{alert}",
            severity = "high",
            host = $"outage{alert:D4}",
            sourceIp = $"198.51.{alert / 250}.{alert % 250 + 1}",
            ruleId = $"9100{alert}",
            mitreTechniques = new[] { "T1071" },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "ingest/generic") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", ingestKey);
        var sentAt = DateTimeOffset.UtcNow;
        OutageWebhookAnswer answer;
        try
        {
            using var response = await http.SendAsync(request);
            answer = new OutageWebhookAnswer(alert, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadAsStringAsync(), sentAt, DateTimeOffset.UtcNow);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Recorded, not thrown: the test asserts on every answer, and "no answer" is one of them.
            answer = new OutageWebhookAnswer(alert, 0, null, ex.Message, sentAt, DateTimeOffset.UtcNow);
        }

        answers.Enqueue(answer);
        return answer;
    }

    /// <summary>Sends every unacknowledged alert again (same alertId) until each got its 202 or time is up.</summary>
    public async Task ResendUnacknowledgedAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Unacknowledged is { Count: > 0 } pending && DateTime.UtcNow < deadline)
        {
            foreach (var alert in pending)
            {
                await SendAsync(alert);
            }

            if (Unacknowledged.Count > 0)
            {
                await Task.Delay(1000);
            }
        }
    }

    /// <summary>The host's readiness as a load balancer sees it: the status code (0 when nothing answered) and the body.</summary>
    public async Task<(int Status, string Body)> ReadyAsync()
    {
        try
        {
            using var ready = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HealthPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            using var response = await ready.GetAsync("health/ready");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, ex.Message);
        }
    }

    public string Summary() =>
        string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key}"));

    public void Dispose() => http.Dispose();
}
