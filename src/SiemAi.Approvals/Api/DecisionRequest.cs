namespace SiemAi.Approvals.Api;

/// <summary>Body of <c>POST /api/incidents/{id}/decisions</c>.</summary>
public sealed record DecisionRequest(string? Decision, string? Comment, string? PlaybookSha256, bool ForApply = false);
