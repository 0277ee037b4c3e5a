using System.Text.Json.Serialization;

namespace SiemAi.EventStore;

/// <summary>Who and why: every event records its actor, the message chain it belongs to, and the playbook it is about.</summary>
public sealed record EventMetadata
{
    /// <summary>A service (<c>service:saga</c>) or a person (<c>approver:alice</c>).</summary>
    [JsonPropertyName("actor")]
    public required string Actor { get; init; }

    [JsonPropertyName("correlation_id")]
    public Guid? CorrelationId { get; init; }

    [JsonPropertyName("causation_id")]
    public Guid? CausationId { get; init; }

    [JsonPropertyName("message_id")]
    public Guid? MessageId { get; init; }

    [JsonPropertyName("playbook_sha256")]
    public string? PlaybookSha256 { get; init; }
}
