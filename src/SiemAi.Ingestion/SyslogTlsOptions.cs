namespace SiemAi.Ingestion;

/// <summary>
/// Section <c>Ingestion:Syslog:Tls</c>: the server certificate of the RFC 5425 listener and the client
/// certificates it recognises. A client certificate is pinned by its SHA-256 fingerprint and names the source
/// that becomes the alert's <c>submitted_by</c> (who raised the incident).
/// </summary>
public sealed class SyslogTlsOptions
{
    /// <summary>PEM certificate (chain) of the listener; empty means the host's <c>TLS_CERT_PATH</c>.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM private key; empty means the host's <c>TLS_KEY_PATH</c>.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>When true a connection without a client certificate is refused after the handshake.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Source name → SHA-256 fingerprints (hex, colons allowed, comma-separated for rotation) of its client certificates.</summary>
    public Dictionary<string, string> ClientCertificates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A client that has not finished the TLS handshake by then is dropped, freeing its connection slot.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
