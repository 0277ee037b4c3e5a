namespace SiemAi.Contracts;

/// <summary>
/// What a SIEM producer publishes on RabbitMQ (exchange <c>SiemAi.Contracts:SiemAlert</c>).
/// The producer does not know incidents, so it carries its own <see cref="AlertId"/>; ingestion
/// validates it, computes the fingerprint and assigns the incident.
/// </summary>
public sealed record SiemAlert
{
    /// <summary>The producer's id for this alert; republishing the same id is deduplicated.</summary>
    public required Guid AlertId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The producing system's name, e.g. <c>splunk-prod</c>.</summary>
    public required string Source { get; init; }
    public required string Title { get; init; }
    /// <summary>info, low, medium, high or critical (or a number 0-10 / 0-15, mapped like Wazuh levels).</summary>
    public required string Severity { get; init; }
    public string? RuleId { get; init; }
    public string? RuleName { get; init; }
    public string? Description { get; init; }
    public string? Host { get; init; }
    public IReadOnlyList<string>? HostGroups { get; init; }
    public string? User { get; init; }
    public string? SourceIp { get; init; }
    public string? DestinationIp { get; init; }
    public int? DestinationPort { get; init; }
    public string? Process { get; init; }
    public string? FilePath { get; init; }
    public string? FileHash { get; init; }
    public string? Category { get; init; }
    public IReadOnlyList<string>? MitreTechniques { get; init; }
    public IReadOnlyDictionary<string, string>? Fields { get; init; }
}
