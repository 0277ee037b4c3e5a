namespace SiemAi.Ingestion;

/// <summary>
/// Section <c>Ingestion</c>. The seed's flat variables still work and win when set:
/// <c>API_KEY</c> (one plain key, named "default"), <c>RATE_LIMIT</c>, <c>SYSLOG_UDP_PORT</c>, <c>SYSLOG_TCP_PORT</c>,
/// <c>SYSLOG_TLS_PORT</c>; <c>BIND_ADDRESS</c> and <c>TLS_CERT_PATH</c>/<c>TLS_KEY_PATH</c> are defaults for the syslog listeners.
/// </summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Key name → SHA-256 (hex) of the key and an optional HMAC secret. Several at once allow rotation.</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per key, e.g. "100 per minute", "10 per second", "5000/hour". "none" disables it.</summary>
    public string RateLimit { get; set; } = "100 per minute";

    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Property names counted across the whole document while reading, before any parse tree exists.</summary>
    public int MaxJsonProperties { get; set; } = 2000;

    public int MaxAlertsPerRequest { get; set; } = 500;

    /// <summary>Alerts with the same fingerprint within this time of the incident's last alert join that incident.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a publish may wait for RabbitMQ's confirm before the producer gets 503.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Format → alert fields hashed into the fingerprint (see <c>AlertFingerprinter.Defaults</c>).</summary>
    public Dictionary<string, string[]> FingerprintFields { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Profile → normalized field → JSON pointer (RFC 6901) into a generic body, e.g.
    /// <c>Ingestion:FieldMappings:acme:ruleId = /detection/rule/id</c>. A key selects a profile with
    /// <c>Ingestion:ApiKeys:&lt;name&gt;:FieldMapping</c>; checked at start (<c>FieldMappingProfile</c>).
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> FieldMappings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>PostgreSQL for the assignment table when the host registers no <c>NpgsqlDataSource</c>; falls back to <c>ConnectionStrings:SiemAi</c>.</summary>
    public string? ConnectionString { get; set; }

    public SyslogOptions Syslog { get; set; } = new();
}
