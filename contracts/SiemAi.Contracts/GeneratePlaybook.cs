namespace SiemAi.Contracts;

/// <summary>Asks the generator for a remediation playbook for the incident's alert.</summary>
public sealed record GeneratePlaybook
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required NormalizedAlert Alert { get; init; }
    /// <summary>1 for the first try; grows with retries and regenerations.</summary>
    public int Attempt { get; init; } = 1;
    /// <summary>An approver's reason for asking again, when this is a regeneration.</summary>
    public string? RegenerationComment { get; init; }
    public string? PreviousPlaybookSha256 { get; init; }
}
