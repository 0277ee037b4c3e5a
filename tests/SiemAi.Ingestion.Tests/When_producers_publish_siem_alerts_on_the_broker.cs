using MassTransit;
using RabbitMQ.Client;
using SiemAi.Contracts;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

public sealed class When_producers_publish_siem_alerts_on_the_broker(WebhookFixture fixture) : IClassFixture<WebhookFixture>, IAsyncLifetime
{
    private TestApp App => fixture.App;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The consumer's queues are durable (like production); remove the test's pair.
        await using var connection = await Factory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(App.SiemQueue! + "_error");
    }

    [Fact]
    public async Task Validates_assigns_and_publishes_alert_received_with_the_producers_alert_id()
    {
        var alertId = Guid.NewGuid();
        await App.Bus.Publish(new SiemAlert
        {
            AlertId = alertId,
            Timestamp = DateTimeOffset.UtcNow.AddMinutes(-1),
            Source = "splunk-prod",
            Title = "Ransomware note written",
            Severity = "13",
            Host = "files-2",
            User = "carol",
            SourceIp = "10.4.4.4",
            MitreTechniques = ["t1486"],
        });

        var received = await App.Collector.WaitForAsync(alertId);
        Assert.Equal("broker", received.Alert.Format);
        Assert.Equal(Severity.Critical, received.Alert.Severity);
        Assert.Equal("files-2", received.Alert.Asset);
        Assert.Equal(["T1486"], received.Alert.MitreTechniques);
        Assert.Contains("Ransomware note written", received.Alert.RawPayload, StringComparison.Ordinal);
        Assert.NotEqual(Guid.Empty, received.IncidentId);
    }

    [Fact]
    public async Task Moves_an_invalid_alert_to_the_error_queue_with_the_reason_and_publishes_nothing()
    {
        var alertId = Guid.NewGuid();
        await App.Bus.Publish(new SiemAlert
        {
            AlertId = alertId,
            Timestamp = DateTimeOffset.UtcNow,
            Source = "splunk-prod",
            Title = "Bad address",
            Severity = "high",
            SourceIp = "10.0.0.300",
        });

        await using var connection = await Factory().CreateConnectionAsync();
        BasicGetResult? faulted = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (faulted is null && DateTime.UtcNow < deadline)
        {
            // A fresh channel per poll: reading a queue that does not exist yet (declared on the first fault) closes the channel.
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                var message = await channel.BasicGetAsync(App.SiemQueue! + "_error", autoAck: true);
                if (message is not null && System.Text.Encoding.UTF8.GetString(message.Body.Span).Contains(alertId.ToString(), StringComparison.Ordinal))
                {
                    faulted = message;
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                faulted = null;
            }

            if (faulted is null)
            {
                await Task.Delay(200);
            }
        }

        Assert.NotNull(faulted);
        var reason = System.Text.Encoding.UTF8.GetString((byte[])faulted.BasicProperties.Headers!["MT-Fault-Message"]!);
        Assert.Contains("sourceIp", reason, StringComparison.Ordinal);
        Assert.Equal("FluentValidation.ValidationException", System.Text.Encoding.UTF8.GetString((byte[])faulted.BasicProperties.Headers!["MT-Fault-ExceptionType"]!));
        // Retried messages carry a retry count; validation failures are not retried.
        Assert.False(faulted.BasicProperties.Headers.ContainsKey("MT-Fault-RetryCount") && System.Text.Encoding.UTF8.GetString((byte[])faulted.BasicProperties.Headers["MT-Fault-RetryCount"]!) != "0");
        Assert.False(App.Collector.Seen(m => m.Alert.AlertId == alertId));
    }

    private ConnectionFactory Factory() => new()
    {
        HostName = ServiceSettings.RabbitHost,
        Port = ServiceSettings.RabbitPort,
        UserName = ServiceSettings.RabbitUser,
        Password = ServiceSettings.RabbitPassword,
        VirtualHost = App.VirtualHost,
    };
}
