using System.Security.Cryptography.X509Certificates;
using SiemAi.Http;

namespace SiemAi.Host;

/// <summary>
/// HTTPS from PEM files (<c>TLS_CERT_PATH</c>, <c>TLS_KEY_PATH</c>). With TLS on, every port speaks HTTPS only;
/// <c>ALLOW_HTTP=true</c> keeps a separate <c>HEALTH_PORT</c> on plain HTTP for probes that cannot do TLS.
/// </summary>
public sealed record TlsSettings(X509Certificate2? Certificate, bool PlainHealthPort)
{
    public static TlsSettings From(IConfiguration configuration)
    {
        var certPath = configuration["TLS_CERT_PATH"];
        var keyPath = configuration["TLS_KEY_PATH"];
        if (string.IsNullOrWhiteSpace(certPath) && string.IsNullOrWhiteSpace(keyPath))
        {
            return new TlsSettings(null, PlainHealthPort: true);
        }

        if (string.IsNullOrWhiteSpace(certPath) || string.IsNullOrWhiteSpace(keyPath))
        {
            throw new InvalidOperationException("TLS_CERT_PATH and TLS_KEY_PATH go together: set both (PEM certificate and PEM private key) or neither.");
        }

        foreach (var (name, path) in new[] { ("TLS_CERT_PATH", certPath), ("TLS_KEY_PATH", keyPath) })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{name} names '{path}', which does not exist.");
            }
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"TLS_CERT_PATH/TLS_KEY_PATH could not be loaded as a PEM certificate and its private key: {e.Message}", e);
        }

        return new TlsSettings(certificate, Settings.Boolean(configuration, false, "ALLOW_HTTP"));
    }
}
