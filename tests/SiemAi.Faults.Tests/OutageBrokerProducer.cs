using MassTransit;
using SiemAi.Contracts;
using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// A SIEM publishing <see cref="SiemAlert"/>s on the broker (with publisher confirms): once RabbitMQ confirmed
/// one, the producer is done with it, so the pipeline must not drop it whatever else is down.
/// </summary>
public sealed class OutageBrokerProducer(BrokerEndpoint broker, string run) : IAsyncDisposable
{
    private readonly List<Guid> alertIds = [];
    private IBusControl? bus;

    public IReadOnlyList<Guid> AlertIds => alertIds;

    public async Task StartAsync()
    {
        bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
        {
            h.Username(broker.User);
            h.Password(broker.Password);
        }));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
    }

    /// <summary>Publishes one alert with its own host, address and rule (its own incident); returns once the broker confirmed it.</summary>
    public async Task PublishAsync(int alert)
    {
        var id = Guid.NewGuid();
        await (bus ?? throw new InvalidOperationException("not started")).Publish(new SiemAlert
        {
            AlertId = id,
            Timestamp = DateTimeOffset.UtcNow,
            Source = "outage-test-bus",
            Title = $"Beacon to C2 {run} bus #{alert}",
            Severity = "high",
            RuleId = $"9200{alert}",
            Host = $"outagebus{alert:D4}",
            SourceIp = $"198.18.{alert / 250}.{alert % 250 + 1}",
            MitreTechniques = ["T1071"],
        });
        alertIds.Add(id);
    }

    public async ValueTask DisposeAsync()
    {
        if (bus is not null)
        {
            await bus.StopAsync();
        }
    }
}
