namespace SiemAi.Contracts;

/// <summary>Asks the safety gate for a verdict on exactly these bytes.</summary>
public sealed record VerifyPlaybook
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string PlaybookYaml { get; init; }
    public required string PlaybookSha256 { get; init; }
    /// <summary>Hosts and groups the playbook may target (the alert's asset and groups); empty = no restriction beyond the rules.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
}
