namespace SiemAi.Ingestion.Syslog;

/// <summary>A parsed syslog message (RFC 5424 or RFC 3164), before it becomes an alert.</summary>
public sealed record SyslogMessage
{
    public required string Format { get; init; }
    public required int Facility { get; init; }
    public required int SeverityCode { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? Host { get; init; }
    public string? AppName { get; init; }
    public string? ProcId { get; init; }
    public string? MsgId { get; init; }
    /// <summary>Structured data as <c>sd-id.param-name</c> → value.</summary>
    public IReadOnlyDictionary<string, string> StructuredData { get; init; } = new Dictionary<string, string>();
    public required string Message { get; init; }
}
