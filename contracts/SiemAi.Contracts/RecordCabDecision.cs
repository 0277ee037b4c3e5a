namespace SiemAi.Contracts;

/// <summary>A change-advisory board's decision, from the CAB callback or a principal with role <c>cab</c>.</summary>
public sealed record RecordCabDecision
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string ChangeRequestId { get; init; }
    public required CabDecision Decision { get; init; }
    public required string DecidedBy { get; init; }
    public string? Comment { get; init; }
    public required string PlaybookSha256 { get; init; }
}
