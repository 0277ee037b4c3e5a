using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SiemAi.Ingestion.Syslog;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>
/// A real host around the ingestion module: Kestrel on 127.0.0.1:0, a MassTransit bus on the real RabbitMQ
/// with the test's own AlertReceived queue, syslog on ephemeral ports, PostgreSQL through the app role.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string PrimaryKey = "primary-key-0123456789";
    public const string SignedKey = "signed-key-0123456789";
    public const string HmacSecret = "hmac-secret-for-tests";

    private readonly RabbitVirtualHost virtualHost;

    private TestApp(WebApplication app, AlertCollector collector, MutableConfigurationProvider config, string? siemQueue, RabbitVirtualHost virtualHost)
    {
        this.virtualHost = virtualHost;
        App = app;
        Collector = collector;
        Config = config;
        SiemQueue = siemQueue;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    /// <summary>The RabbitMQ virtual host this app's bus runs on.</summary>
    public string VirtualHost => virtualHost.Name;

    public AlertCollector Collector { get; }

    public MutableConfigurationProvider Config { get; }

    public HttpClient Http { get; }

    public string? SiemQueue { get; }

    public SyslogEndpoints Syslog => App.Services.GetRequiredService<SyslogEndpoints>();

    public IBus Bus => App.Services.GetRequiredService<IBus>();

    public IMeterFactory MeterFactory => App.Services.GetRequiredService<IMeterFactory>();

    public static Dictionary<string, string?> DefaultSettings(ScratchDatabase db) => new()
    {
        ["Ingestion:ConnectionString"] = db.AppConnectionString,
        ["Ingestion:ApiKeys:primary:Hash"] = Keys.Hash(PrimaryKey),
        ["Ingestion:ApiKeys:signed:Hash"] = Keys.Hash(SignedKey),
        ["Ingestion:ApiKeys:signed:HmacSecret"] = HmacSecret,
        ["Ingestion:RateLimit"] = "none",
        ["Ingestion:MaxBodyBytes"] = "65536",
        ["Ingestion:MaxJsonProperties"] = "1000",
        ["Ingestion:Syslog:UdpPort"] = "0",
        ["Ingestion:Syslog:TcpPort"] = "0",
        ["Ingestion:Syslog:BindAddress"] = "127.0.0.1",
        ["Ingestion:Syslog:MaxMessageBytes"] = "2048",
    };

    public static async Task<TestApp> StartAsync(
        ScratchDatabase db,
        Action<Dictionary<string, string?>>? configure = null,
        ushort? brokerPort = null,
        bool withSiemConsumer = false)
    {
        var settings = DefaultSettings(db);
        configure?.Invoke(settings);
        var source = new MutableConfigurationSource(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        // Only our settings: no API_KEY/RATE_LIMIT from the machine's environment.
        builder.Configuration.Sources.Clear();
        ((IConfigurationBuilder)builder.Configuration).Add(source);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

        var collector = new AlertCollector();
        builder.Services.AddSingleton(collector);
        builder.AddIngestion();

        var run = Guid.NewGuid().ToString("N")[..10];
        // A virtual host of its own: a developer's running host on "/" never sees the tests' messages.
        var virtualHost = await RabbitVirtualHost.CreateAsync("ing");
        var siemQueue = withSiemConsumer ? $"ingestion-test-siem-{run}" : null;
        var reachable = brokerPort is null;
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = reachable;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<AlertCollectorConsumer>().Endpoint(e =>
            {
                e.Name = $"ingestion-test-alerts-{run}";
                e.Temporary = true;
            });
            if (siemQueue is not null)
            {
                x.AddIngestionConsumers(siemQueue);
            }

            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(ServiceSettings.RabbitHost, brokerPort ?? ServiceSettings.RabbitPort, virtualHost.Name, h =>
                {
                    h.Username(ServiceSettings.RabbitUser);
                    h.Password(ServiceSettings.RabbitPassword);
                    h.PublisherConfirmation = true;
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(2));
                });
                cfg.ConfigureEndpoints(context);
            });
        });

        var app = builder.Build();
        app.MapIngestion();
        await app.StartAsync();
        return new TestApp(app, collector, source.Provider, siemQueue, virtualHost);
    }

    public HttpRequestMessage Request(string path, string body, string contentType = "application/json", string? key = PrimaryKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        return request;
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "application/json", string? key = PrimaryKey) =>
        Http.SendAsync(Request(path, body, contentType, key));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await virtualHost.DisposeAsync();
    }
}
