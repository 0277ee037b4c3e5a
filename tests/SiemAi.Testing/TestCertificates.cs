using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SiemAi.Testing;

/// <summary>
/// Certificates made by the test, for the test: a server certificate for the TLS listener (written as PEM files
/// in a temporary folder, the way an operator configures it) and client certificates. No key is ever committed.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("siemai-tls-");

    public TestCertificates()
    {
        Server = Create("syslog.siemai.test", server: true);
        ServerCertificatePath = Path.Combine(folder.FullName, "server.crt");
        ServerKeyPath = Path.Combine(folder.FullName, "server.key");
        File.WriteAllText(ServerCertificatePath, Server.ExportCertificatePem());
        using var key = Server.GetECDsaPrivateKey()!;
        File.WriteAllText(ServerKeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Server { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    /// <summary>A self-signed certificate with its private key (client authentication unless <paramref name="server"/>).</summary>
    public static X509Certificate2 Create(string commonName, bool server = false, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(commonName);
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var now = DateTimeOffset.UtcNow;
        var until = notAfter ?? now.AddDays(1);
        return request.CreateSelfSigned(until < now ? until.AddDays(-1) : now.AddHours(-1), until);
    }

    /// <summary>The fingerprint an operator pins: <c>openssl x509 -noout -fingerprint -sha256</c> (colons and all).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', certificate.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    public void Dispose()
    {
        Server.Dispose();
        folder.Delete(recursive: true);
    }
}
