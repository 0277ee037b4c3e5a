namespace SiemAi.Approvals.Api;

/// <summary>Body of <c>POST /api/incidents/{id}/cab</c> (a principal with role cab decides through the API).</summary>
public sealed record CabDecisionRequest(string? Decision, string? Comment, string? PlaybookSha256, string? ChangeRequestId);
