namespace SiemAi.Contracts;

/// <summary>ansible-playbook ran to the end; <see cref="Succeeded"/> is false when a host failed or was unreachable.</summary>
public sealed record PlaybookRunCompleted
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required Guid RunId { get; init; }
    public required string PlaybookSha256 { get; init; }
    public required RunMode Mode { get; init; }
    public required bool Succeeded { get; init; }
    public required int ExitCode { get; init; }
    public IReadOnlyList<HostRunResult> Hosts { get; init; } = [];
    /// <summary>SHA-256 of the full archived output (JSON callback), for the record.</summary>
    public string? OutputSha256 { get; init; }
    /// <summary>The per-task results and diffs, size-capped, as JSON.</summary>
    public string? ResultJson { get; init; }
    public double DurationSeconds { get; init; }
}
