namespace SiemAi.Contracts;

/// <summary>
/// One alert in SiemAi's own shape, whichever SIEM produced it. <see cref="RawPayload"/> keeps the
/// producer's bytes verbatim (as text) so an auditor can always go back to what was sent.
/// </summary>
public sealed record NormalizedAlert
{
    public required Guid AlertId { get; init; }
    /// <summary>The producing system, e.g. <c>splunk</c>, <c>wazuh</c>, <c>syslog</c>, or a producer's own name.</summary>
    public required string SourceSystem { get; init; }
    /// <summary>The input format: generic, splunk, elastic, wazuh, alertmanager, cef, rfc5424, rfc3164, broker.</summary>
    public required string Format { get; init; }
    public string? RuleId { get; init; }
    public string? RuleName { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public required Severity Severity { get; init; }
    /// <summary>The host the alert is about (an inventory host name or address); the playbook targets it, never <c>all</c>.</summary>
    public string? Asset { get; init; }
    /// <summary>Inventory groups the asset belongs to, when the producer knows them.</summary>
    public IReadOnlyList<string> AssetGroups { get; init; } = [];
    public string? User { get; init; }
    public string? SourceIp { get; init; }
    public string? DestinationIp { get; init; }
    public int? DestinationPort { get; init; }
    public string? Process { get; init; }
    public string? FilePath { get; init; }
    public string? FileHash { get; init; }
    public string? Category { get; init; }
    public IReadOnlyList<string> MitreTechniques { get; init; } = [];
    /// <summary>When the producer says the event happened.</summary>
    public required DateTimeOffset ObservedAt { get; init; }
    /// <summary>When SiemAi accepted it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>Stable hash of the fields configured for the format; equal fingerprints inside the dedup window share an incident.</summary>
    public required string Fingerprint { get; init; }
    public required string RawPayload { get; init; }
    /// <summary>Further producer fields worth keeping (flat, string values).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}
