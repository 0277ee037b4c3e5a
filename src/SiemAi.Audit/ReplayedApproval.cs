namespace SiemAi.Audit;

/// <summary>One approving decision still counting at the replayed version (a new verdict or a regeneration discards earlier ones).</summary>
public sealed record ReplayedApproval(string Approver, DateTimeOffset At, string? Comment, bool ForApply, string? PlaybookSha256);
