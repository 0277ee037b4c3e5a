using Microsoft.AspNetCore.Http;
using SiemAi.Contracts;

namespace SiemAi.Approvals.Api;

/// <summary>
/// Refuses, before anything is published, decisions the saga would refuse anyway (it stays the authority and
/// audits refusals), so the approver gets a 409 with the reason instead of a silent no-op.
/// </summary>
public static class DecisionGuard
{
    public static async Task<IResult?> CheckAsync(IncidentReader reader, Guid id, string approver, ApprovalDecision decision, string sha, bool forApply, CancellationToken ct)
    {
        if (await reader.GetAsync(id, ct) is not { } incident)
        {
            return Results.Problem(statusCode: 404, title: "No such incident", detail: $"Incident {id} does not exist.");
        }

        var expected = forApply ? "CheckSucceeded" : "AwaitingApproval";
        if (incident.Status != expected || (forApply && decision == ApprovalDecision.Regenerate))
        {
            return Conflict("Not awaiting this decision", $"The incident is {incident.Status}; {(forApply ? "apply approvals" : "decisions")} are taken in {expected}.");
        }

        if (!string.Equals(sha, incident.PlaybookSha256, StringComparison.OrdinalIgnoreCase))
        {
            return Conflict("Playbook hash mismatch", "playbookSha256 is not the playbook under review; reload it and review again.");
        }

        if (string.Equals(approver, incident.RaisedBy, StringComparison.OrdinalIgnoreCase))
        {
            return Conflict("Self-approval", "Nobody decides on an incident they raised.");
        }

        if (decision == ApprovalDecision.Approve)
        {
            if (incident.Editors.Contains(approver, StringComparer.OrdinalIgnoreCase))
            {
                return Conflict("Editor approval", "Nobody approves a playbook they had regenerated.");
            }

            if (incident.Approvers(forApply).Contains(approver, StringComparer.OrdinalIgnoreCase))
            {
                return Conflict("Already approved", "You have already approved; dual control needs a second, distinct person.");
            }
        }

        return null;
    }

    public static async Task<bool> CabAlreadyRecordedAsync(IncidentReader reader, Guid id, string changeRequest, CancellationToken ct) =>
        await reader.GetAsync(id, ct) is { } incident
        && string.Equals(incident.Data["cabChangeRequestId"]?.GetValue<string>(), changeRequest, StringComparison.Ordinal);

    private static IResult Conflict(string title, string detail) => Results.Problem(statusCode: 409, title: title, detail: detail);
}
