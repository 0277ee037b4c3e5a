using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>
/// An app whose only syslog listener is TLS (plain UDP and TCP switched off), requiring client certificates:
/// "fw-edge" is pinned (by its colon-separated fingerprint, as openssl prints it), "stranger" is not.
/// Four connection slots and a three-second handshake budget, so the slot tests can fill them.
/// </summary>
public sealed class TlsSyslogFixture : IAsyncLifetime
{
    public const int Slots = 4;

    public TestCertificates Certificates { get; } = new();

    public X509Certificate2 Pinned { get; } = TestCertificates.Create("fw-edge.siemai.test");

    public X509Certificate2 Stranger { get; } = TestCertificates.Create("fw-edge.siemai.test");

    public X509Certificate2 Expired { get; } = TestCertificates.Create("old-relay.siemai.test", notAfter: DateTimeOffset.UtcNow.AddDays(-1));

    public ScratchDatabase Database { get; private set; } = null!;

    public TestApp App { get; private set; } = null!;

    public void Configure(Dictionary<string, string?> s, bool requireClientCertificate = true)
    {
        s["Ingestion:Syslog:UdpPort"] = "-1";
        s["Ingestion:Syslog:TcpPort"] = "-1";
        s["Ingestion:Syslog:TlsPort"] = "0";
        s["Ingestion:Syslog:MaxTcpConnections"] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s["Ingestion:Syslog:Tls:HandshakeTimeout"] = "00:00:03";
        s["TLS_CERT_PATH"] = Certificates.ServerCertificatePath;
        s["TLS_KEY_PATH"] = Certificates.ServerKeyPath;
        s["Ingestion:Syslog:Tls:RequireClientCertificate"] = requireClientCertificate ? "true" : "false";
        s["Ingestion:Syslog:Tls:ClientCertificates:fw-edge"] = TestCertificates.Fingerprint(Pinned);
        s["Ingestion:Syslog:Tls:ClientCertificates:old-relay"] = TestCertificates.Fingerprint(Expired);
    }

    public async Task InitializeAsync()
    {
        Database = await IngestionDatabase.CreateAsync("tls");
        App = await TestApp.StartAsync(Database, s => Configure(s));
    }

    /// <summary>A TLS client as a syslog relay would be: it checks our certificate by its pin and offers its own when it has one.</summary>
    public async Task<(TcpClient Tcp, SslStream Tls)> ConnectAsync(TestApp app, X509Certificate2? clientCertificate)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, app.Syslog.TlsPort!.Value);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var serverPin = Certificates.Server.GetCertHash(HashAlgorithmName.SHA256);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "syslog.siemai.test",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).SequenceEqual(serverPin),
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
        });
        return (tcp, tls);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
        Certificates.Dispose();
        Pinned.Dispose();
        Stranger.Dispose();
        Expired.Dispose();
    }
}
