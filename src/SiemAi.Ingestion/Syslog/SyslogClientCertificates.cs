using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SiemAi.Ingestion.Syslog;

/// <summary>
/// Client certificates pinned by SHA-256 fingerprint to the source they authenticate
/// (<c>Ingestion:Syslog:Tls:ClientCertificates:&lt;source&gt; = &lt;hex&gt;[,&lt;hex&gt;]</c>). Pinning needs no CA:
/// the fingerprint is the identity, so a certificate signed by anyone else — or a look-alike with the same
/// subject — is a stranger.
/// </summary>
public sealed class SyslogClientCertificates
{
    private readonly Dictionary<string, string> sourceByFingerprint;

    public SyslogClientCertificates(IReadOnlyDictionary<string, string> configured)
    {
        sourceByFingerprint = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, fingerprints) in configured)
        {
            foreach (var fingerprint in Split(fingerprints))
            {
                sourceByFingerprint[fingerprint] = source;
            }
        }
    }

    public int Count => sourceByFingerprint.Count;

    /// <summary>The source a certificate is pinned to, or null; outside its validity dates it is nobody.</summary>
    public string? SourceOf(X509Certificate certificate)
    {
        var full = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var now = DateTime.UtcNow;
        if (now < full.NotBefore.ToUniversalTime() || now > full.NotAfter.ToUniversalTime())
        {
            return null;
        }

        return sourceByFingerprint.GetValueOrDefault(Fingerprint(full));
    }

    /// <summary>Lower-case hex SHA-256 of the DER certificate (what <c>openssl x509 -fingerprint -sha256</c> prints, without colons).</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>The fingerprints of one setting, normalised (colons and spaces dropped, lower case); invalid entries are kept for the validator to name.</summary>
    public static IEnumerable<string> Split(string? fingerprints) =>
        (fingerprints ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => f.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());

    public static bool IsFingerprint(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);
}
