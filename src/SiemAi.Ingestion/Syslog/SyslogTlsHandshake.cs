using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SiemAi.Ingestion.Syslog;

/// <summary>
/// The server side of RFC 5425's TLS handshake: our certificate, a request for the client's, and the source
/// the client's pinned certificate names. Bounded by <see cref="SyslogTlsOptions.HandshakeTimeout"/>, so a
/// client that connects and says nothing (or stops half way) gives its connection slot back.
/// </summary>
internal sealed class SyslogTlsHandshake
{
    private readonly SslStreamCertificateContext serverCertificate;
    private readonly SyslogClientCertificates clients;
    private readonly bool required;
    private readonly TimeSpan timeout;

    public SyslogTlsHandshake(SyslogTlsOptions options)
    {
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        serverCertificate = SslStreamCertificateContext.Create(certificate, additionalCertificates: null);
        clients = new SyslogClientCertificates(options.ClientCertificates);
        required = options.RequireClientCertificate;
        timeout = options.HandshakeTimeout;
    }

    /// <summary>The authenticated stream and its source (null: no client certificate, allowed), or the rejection reason.</summary>
    public async Task<(SslStream? Stream, string? Source, string? Rejection)> AuthenticateAsync(Socket client, CancellationToken stoppingToken)
    {
        string? source = null;
        string? refusal = null;
        var stream = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverCertificate,
            // Always ask: whether one must be given is decided below, and an unknown one is refused either way.
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // Pinned fingerprints are the trust decision; the chain (often self-signed devices) is not.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    refusal = required ? "no_client_certificate" : null;
                    return !required;
                }

                source = clients.SourceOf(certificate);
                refusal = source is null ? "unknown_client_certificate" : null;
                return source is not null;
            },
        };

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        bounded.CancelAfter(timeout);
        try
        {
            await stream.AuthenticateAsServerAsync(options, bounded.Token);
            return (stream, source, null);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            return (null, null, "tls_handshake_timeout");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await stream.DisposeAsync();
            return (null, null, refusal ?? "tls_handshake_failed");
        }
    }
}
