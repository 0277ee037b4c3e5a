using SiemAi.Contracts;

namespace SiemAi.Incidents.Model;

/// <summary>
/// Who may decide on the playbook under review. The one copy: the saga applies it (and audits refusals), the API
/// applies it first so a person gets a 409 with the reason instead of a silent no-op.
/// </summary>
public static class ApprovalPolicy
{
    public const string ServicePrefix = "service:";

    /// <summary>Why the decision cannot count, or null when it can.</summary>
    public static ApprovalRefusal? Refusal(IApprovalSubject incident, string approver, ApprovalDecision decision, string playbookSha256, bool forApply)
    {
        if (!string.Equals(playbookSha256, incident.PlaybookSha256, StringComparison.OrdinalIgnoreCase))
        {
            return ApprovalRefusal.OtherPlaybook;
        }

        if (approver.StartsWith(ServicePrefix, StringComparison.Ordinal))
        {
            return ApprovalRefusal.Service;
        }

        if (string.Equals(approver, incident.RaisedBy, StringComparison.OrdinalIgnoreCase))
        {
            return ApprovalRefusal.Raiser;
        }

        if (decision == ApprovalDecision.Approve)
        {
            if (incident.Editors.Contains(approver, StringComparer.OrdinalIgnoreCase))
            {
                return ApprovalRefusal.Editor;
            }

            if (incident.ApproversFor(forApply).Contains(approver, StringComparer.OrdinalIgnoreCase))
            {
                return ApprovalRefusal.AlreadyApproved;
            }
        }

        return null;
    }

    public static ApprovalRefusal? Refusal(IApprovalSubject incident, SubmitApprovalDecision decision) =>
        Refusal(incident, decision.Approver, decision.Decision, decision.PlaybookSha256, decision.ForApply);
}
