namespace SiemAi.Incidents.Model;

/// <summary>One approving decision still counting (a new verdict or a regeneration discards earlier ones).</summary>
public sealed record IncidentApproval(string Approver, DateTimeOffset At, string? Comment, bool ForApply, string? PlaybookSha256);
