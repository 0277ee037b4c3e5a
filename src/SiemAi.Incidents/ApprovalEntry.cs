namespace SiemAi.Incidents;

public sealed record ApprovalEntry(string Approver, DateTimeOffset At, string? Comment, bool ForApply);
