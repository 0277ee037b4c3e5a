using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using SiemAi.Ingestion.Tests.Support;

namespace SiemAi.Ingestion.Tests;

/// <summary>
/// RFC 5425 syslog over TLS: octet-counted frames in a TLS session, the client's pinned certificate naming
/// the source that raised the alert; strangers, missing certificates and clients that never finish the
/// handshake are refused and counted, and give their connection slot back.
/// </summary>
public sealed class When_syslog_arrives_over_tls(TlsSyslogFixture fixture) : IClassFixture<TlsSyslogFixture>
{
    private TestApp App => fixture.App;

    private static string Marker() => "t" + Guid.NewGuid().ToString("N")[..12];

    private static byte[] OctetCounted(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        return [.. Encoding.ASCII.GetBytes($"{bytes.Length} "), .. bytes];
    }

    /// <summary>Connects, sends, closes; a refused client may fail during the handshake or on its first write.</summary>
    private async Task<bool> TrySendAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, string message)
    {
        try
        {
            var (tcp, tls) = await fixture.ConnectAsync(App, certificate);
            using (tcp)
            await using (tls)
            {
                await tls.WriteAsync(OctetCounted(message));
                await tls.FlushAsync();
                // Wait for the server to close: after reading our frame (accepted) or at once (refused).
                await tls.ShutdownAsync();
                var buffer = new byte[16];
                using var done = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (await tls.ReadAsync(buffer, done.Token) > 0)
                {
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_pinned_client_certificate_is_accepted_and_its_source_raises_the_alert()
    {
        using var received = new MetricCounter(App.MeterFactory, "siemai_syslog_received_total", "transport");
        var marker = Marker();
        var message = $"<34>1 2025-03-01T10:00:00Z fw-edge-01 sshd 8710 ID47 [auth@32473 user=\"dave\" src=\"198.51.100.23\"] Failed password for dave {marker}";
        Assert.True(await TrySendAsync(fixture.Pinned, message));

        var alert = (await App.Collector.WaitForAsync(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal))).Alert;
        Assert.Equal("fw-edge", alert.Fields["submitted_by"]);
        Assert.Equal("rfc5424", alert.Format);
        Assert.Equal("fw-edge-01", alert.Asset);
        Assert.Equal("198.51.100.23", alert.SourceIp);
        Assert.Equal(message, alert.RawPayload);
        Assert.True(received["tls"] >= 1);
        // Only the TLS listener runs here: the plain ones were switched off.
        Assert.Null(App.Syslog.UdpPort);
        Assert.Null(App.Syslog.TcpPort);
    }

    [Fact]
    public async Task A_message_naming_its_own_submitter_is_still_attributed_to_the_certificate()
    {
        var marker = Marker();
        Assert.True(await TrySendAsync(fixture.Pinned, $"<13>1 2025-03-01T10:00:00Z relay app - - [meta submitted_by=\"alice\"] claim {marker}"));

        var alert = (await App.Collector.WaitForAsync(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal))).Alert;
        Assert.Equal("fw-edge", alert.Fields["submitted_by"]);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_when_one_is_required()
    {
        using var rejected = new MetricCounter(App.MeterFactory, "siemai_syslog_rejected_total", "reason");
        var marker = Marker();
        await TrySendAsync(null, $"<13>1 - anon app - - - no certificate {marker}");

        await rejected.WaitForAsync("no_client_certificate", 1);
        Assert.False(App.Collector.Seen(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_certificate_that_is_not_pinned_is_refused_even_with_the_same_subject()
    {
        using var rejected = new MetricCounter(App.MeterFactory, "siemai_syslog_rejected_total", "reason");
        var marker = Marker();
        await TrySendAsync(fixture.Stranger, $"<13>1 - stranger app - - - look-alike {marker}");

        await rejected.WaitForAsync("unknown_client_certificate", 1);
        Assert.False(App.Collector.Seen(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_pinned_certificate_past_its_validity_is_refused()
    {
        using var rejected = new MetricCounter(App.MeterFactory, "siemai_syslog_rejected_total", "reason");
        var marker = Marker();
        await TrySendAsync(fixture.Expired, $"<13>1 - old app - - - expired {marker}");

        await rejected.WaitForAsync("unknown_client_certificate", 1);
        Assert.False(App.Collector.Seen(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Clients_that_never_finish_the_handshake_are_dropped_and_give_their_slots_back()
    {
        using var rejected = new MetricCounter(App.MeterFactory, "siemai_syslog_rejected_total", "reason");
        // Take every slot with a connection that says nothing, and one with half a ClientHello.
        var stalled = new List<TcpClient>();
        for (var i = 0; i < TlsSyslogFixture.Slots; i++)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, App.Syslog.TlsPort!.Value);
            if (i == 0)
            {
                await tcp.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00 });
            }

            stalled.Add(tcp);
        }

        // The listener closes each of them once the handshake budget is spent.
        foreach (var tcp in stalled)
        {
            using (tcp)
            {
                var buffer = new byte[64];
                using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    while (await tcp.GetStream().ReadAsync(buffer, done.Token) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                    // Reset rather than closed: dropped all the same.
                }
            }
        }

        await rejected.WaitForAsync("tls_handshake_timeout", TlsSyslogFixture.Slots);

        // Every slot is free again: a real client gets in and is heard.
        var marker = Marker();
        Assert.True(await TrySendAsync(fixture.Pinned, $"<13>1 - fw-edge-02 app - - - after the stall {marker}"));
        var alert = (await App.Collector.WaitForAsync(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal))).Alert;
        Assert.Equal("fw-edge", alert.Fields["submitted_by"]);
        Assert.Equal(0, rejected["too_many_connections"]);
    }

    [Fact]
    public async Task Without_required_certificates_an_anonymous_client_is_heard_but_raises_nothing_in_its_own_name()
    {
        await using var app = await TestApp.StartAsync(fixture.Database, s => fixture.Configure(s, requireClientCertificate: false));
        var marker = Marker();
        var (tcp, tls) = await fixture.ConnectAsync(app, clientCertificate: null);
        using (tcp)
        await using (tls)
        {
            await tls.WriteAsync(OctetCounted($"<13>1 - relay-9 app - - - anonymous {marker}"));
            await tls.FlushAsync();
        }

        var alert = (await app.Collector.WaitForAsync(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal))).Alert;
        Assert.False(alert.Fields.ContainsKey("submitted_by"));
        Assert.Equal("relay-9", alert.Asset);
    }
}
