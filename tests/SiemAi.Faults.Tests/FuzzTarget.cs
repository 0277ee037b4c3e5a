using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The host the fuzz set is thrown at: ingestion, saga, generator, safety and approvals, with a signed ingest
/// key and a CAB secret. One control incident (a real alert awaiting approval) gives the approval cases a real
/// id and hash. A probe queue bound to the AlertReceived exchange sees every alert ingestion lets through:
/// after the control alert it must hold exactly one message, however much garbage came in.
/// </summary>
public sealed class FuzzTarget : IAsyncLifetime
{
    public const string SignedKey = "signed-key-for-fuzzing-0123456789";
    public const string StrictKey = "strict-key-for-fuzzing-0123456789";
    public const string HmacSecret = "hmac-secret-for-fuzzing-0123456789";
    public const string CabSecret = "cab-secret-for-fuzzing-0123456789";
    public const string ProbeQueue = "fuzz-probe-alert-received";
    public const string SiemAlertQueue = "siem-alert";

    private IConnection? connection;

    /// <summary>The syslog TLS listener's certificate (made here, never committed); clients pin it.</summary>
    public TestCertificates Certificates { get; } = new();

    public int SyslogTlsPort { get; } = FreePort.Next();

    public FaultSystem System { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public Guid ControlIncident { get; private set; }
    public string ControlSha { get; private set; } = "";
    public int ControlEvents { get; private set; }

    public async Task InitializeAsync()
    {
        System = await FaultSystem.CreateAsync("fuzz");
        connection = await new ConnectionFactory
        {
            HostName = ServiceSettings.RabbitHost,
            Port = ServiceSettings.RabbitPort,
            UserName = ServiceSettings.RabbitUser,
            Password = ServiceSettings.RabbitPassword,
            VirtualHost = System.VirtualHost.Name,
        }.CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            // MassTransit's publish exchanges are durable fanouts named after the message type.
            await channel.ExchangeDeclareAsync("SiemAi.Contracts:AlertReceived", ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueDeclareAsync(ProbeQueue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(ProbeQueue, "SiemAi.Contracts:AlertReceived", "");
        }

        Host = System.NewHost("ingestion,saga,generator,safety,approvals", new Dictionary<string, string>
        {
            ["Ingestion__ApiKeys__signed__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SignedKey))),
            ["Ingestion__ApiKeys__signed__HmacSecret"] = HmacSecret,
            ["CAB_CALLBACK_SECRET"] = CabSecret,
            ["Ingestion__ApiKeys__strict__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StrictKey))),
            ["Ingestion__ApiKeys__strict__Strict"] = "true",
            ["SYSLOG_TLS_PORT"] = SyslogTlsPort.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
            ["Ingestion__Syslog__Tls__CertificatePath"] = Certificates.ServerCertificatePath,
            ["Ingestion__Syslog__Tls__KeyPath"] = Certificates.ServerKeyPath,
            ["Ingestion__Syslog__Tls__HandshakeTimeout"] = "00:00:05",
        });
        await Host.StartAsync(TimeSpan.FromSeconds(120));

        using var ingest = FaultSystem.Ingest(Host, System.IngestKey);
        var (accepted, failure) = await FaultSystem.PostAlertAsync(ingest, FaultSystem.Alert("control", 1));
        Assert.True(accepted is not null, $"the control alert was refused: {failure}");
        ControlIncident = Guid.Parse(accepted["incidentId"]!.GetValue<string>());
        await FaultSystem.WaitAsync(async () => await System.ScalarAsync(
                "SELECT count(*) FROM incidents WHERE incident_id = $1 AND status = 'AwaitingApproval'", ControlIncident) == 1 ? "yes" : null,
            "the control incident to await approval", TimeSpan.FromMinutes(2), () => Host.Tail());
        using var api = System.Api(Host, "dave");
        using var playbook = await api.GetAsync($"api/incidents/{ControlIncident}/playbook");
        ControlSha = playbook.Headers.GetValues("X-Playbook-Sha256").Single();
        ControlEvents = (int)await System.ScalarAsync("SELECT count(*) FROM events");
    }

    public async Task<uint> QueueDepthAsync(string queue)
    {
        await using var channel = await connection!.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    /// <summary>Every message in a queue, taken off it (so a test reads each once).</summary>
    public async Task<List<BasicGetResult>> DrainAsync(string queue)
    {
        var messages = new List<BasicGetResult>();
        await using var channel = await connection!.CreateChannelAsync();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public async Task PublishRawAsync(string exchange, string contentType, byte[] body)
    {
        await using var channel = await connection!.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, body);
    }

    /// <summary>
    /// The host is alive and ready, and nothing came of the garbage: the control incident is still the only one,
    /// with its events only, no alert was recorded and the only AlertReceived ever published is the control's.
    /// </summary>
    public async Task AssertUnharmedAsync()
    {
        Assert.False(Host.HasExited, $"the host died:\n{Host.Tail(60)}");
        using var health = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var ready = await health.GetAsync("health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"/health/ready answered {(int)ready.StatusCode}\n{Host.Tail()}");
        var created = await System.RowsAsync("SELECT title, severity, source_system FROM incidents WHERE incident_id <> $1", ControlIncident);
        Assert.True(created.Count == 0, $"incidents created by garbage: {string.Join("; ", created.Select(i => string.Join(" | ", i)))}");
        Assert.Equal(1, await System.ScalarAsync("SELECT count(*) FROM ingestion_alerts"));
        var events = await System.RowsAsync("SELECT stream_id, type FROM events WHERE version > 4 OR stream_id <> $1", $"incident-{ControlIncident:D}");
        Assert.True(events.Count == 0, $"events written by garbage: {string.Join("; ", events.Select(e => string.Join(" ", e)))}");
        Assert.Equal(ControlEvents, (int)await System.ScalarAsync("SELECT count(*) FROM events"));
        Assert.Equal(1u, await QueueDepthAsync(ProbeQueue));
        Assert.Equal(0u, await QueueDepthAsync(SiemAlertQueue));
    }

    public static async Task<JsonObject?> ProblemAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject
            : null;

    public async Task DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        await System.DisposeAsync();
        Certificates.Dispose();
    }
}
