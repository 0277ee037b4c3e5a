using System.Text.Json.Serialization;

namespace SiemAi.Approvals.Api;

/// <summary>The CAB system's callback body (snake_case, as ServiceNow business rules usually send).</summary>
public sealed record CabCallback(
    [property: JsonPropertyName("change_request_id")] string? ChangeRequestId,
    [property: JsonPropertyName("correlation_id")] Guid? CorrelationId,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("decided_by")] string? DecidedBy,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("playbook_sha256")] string? PlaybookSha256);
