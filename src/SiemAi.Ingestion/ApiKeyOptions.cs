namespace SiemAi.Ingestion;

/// <summary>One named API key: only its SHA-256 is configured, never the key itself.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Lower or upper hex SHA-256 of the key's UTF-8 bytes (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public string Hash { get; set; } = "";

    /// <summary>When set, requests with this key must carry <c>X-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.</summary>
    public string? HmacSecret { get; set; }

    /// <summary>
    /// Generic bodies sent with this key are read strictly: only the documented camelCase names, any other
    /// property is refused (422). Off by default: other spellings are mapped and the rest kept under <c>fields</c>.
    /// </summary>
    public bool Strict { get; set; }

    /// <summary>Name of a profile under <c>Ingestion:FieldMappings</c> applied to this key's generic bodies.</summary>
    public string? FieldMapping { get; set; }
}
