namespace SiemAi.Incidents.Model;

/// <summary>One runner attempt as the saga recorded it: started, then completed, failed or refused.</summary>
public sealed record IncidentRun
{
    public required string RunId { get; init; }
    public required string Mode { get; init; }
    public int Attempt { get; init; }
    public IReadOnlyList<string> Approvers { get; init; } = [];
    public DateTimeOffset StartedAt { get; init; }
    public string Result { get; init; } = "running";
    public bool? Succeeded { get; init; }
    public int? ExitCode { get; init; }
    public double? DurationSeconds { get; init; }
    public string? Reason { get; init; }
}
