using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using SiemAi.Testing;

namespace SiemAi.Audit.Tests;

/// <summary>
/// The real host (roles ingestion, saga, template generator, safety gate, approvals API with an auditor and an approver key) on a scratch database and RabbitMQ virtual host, with metrics on,
/// fed three distinct alerts through the webhook and one request with a wrong API key.
/// </summary>
public sealed class MonitoredHost : IAsyncLifetime
{
    public const int Alerts = 3;

    public ScratchDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost VirtualHost { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public Dictionary<string, string> Secrets { get; } = [];

    /// <summary>The scrape taken before any alert was sent.</summary>
    public PrometheusText Before { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync("obs");
        VirtualHost = await RabbitVirtualHost.CreateAsync("obs");
        var env = HostEnvironment.For(Database, VirtualHost, "ingestion,saga,generator,safety,approvals", "obs-" + Guid.NewGuid().ToString("N"), logLevel: "DEBUG");
        foreach (var (name, role) in new[] { ("auditor-1", "auditor"), ("approver-1", "approver") })
        {
            var key = $"{role}-key-" + Guid.NewGuid().ToString("N");
            Secrets[$"{name} key"] = key;
            env[$"Approvals__Principals__{name}__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            env[$"Approvals__Principals__{name}__Roles"] = role;
        }

        // The most talkative level the host offers, so the secret check reads as much as a run can log.
        env["METRICS_AUDIT_POLL_SECONDS"] = "0.5";
        foreach (var secret in new[] { "DB_PASSWORD", "DB_OWNER_PASSWORD", "RABBITMQ_PASSWORD", "API_KEY" })
        {
            Secrets[secret] = env[secret];
        }

        Host = new HostProcess(env);
        await Host.StartAsync(TimeSpan.FromSeconds(120));
        Before = await ScrapeAsync();

        using var http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < Alerts; i++)
        {
            var body = $$"""{"source":"lab","title":"x{{i}}","severity":"high","host":"lab-target","sourceIp":"203.0.113.{{7 + i}}","ruleId":"{{5712 + i}}"}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "ingest/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-API-Key", Secrets["API_KEY"]);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "ingest/webhook") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        wrongKey.Headers.Add("X-API-Key", "not-the-key");
        using var rejected = await http.SendAsync(wrongKey);
    }

    public async Task<PrometheusText> ScrapeAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync("metrics");
        response.EnsureSuccessStatusCode();
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (the saga and the audit poller work asynchronously).</summary>
    public async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (done(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
