using SiemAi.Contracts;

namespace SiemAi.Incidents;

/// <summary>Who may decide on the playbook under review, and when a decision must be refused.</summary>
public static class ApprovalPolicy
{
    /// <summary>Why <paramref name="decision"/> cannot count, or null when it can.</summary>
    public static string? Refusal(IncidentState saga, SubmitApprovalDecision decision)
    {
        if (!string.Equals(decision.PlaybookSha256, saga.PlaybookSha256, StringComparison.OrdinalIgnoreCase))
        {
            return "the decision names another playbook than the one under review";
        }

        if (decision.Approver.StartsWith("service:", StringComparison.Ordinal))
        {
            return "a service (the generator included) is never an approver";
        }

        if (string.Equals(decision.Approver, saga.RaisedBy, StringComparison.OrdinalIgnoreCase))
        {
            return "nobody approves an incident they raised";
        }

        if (decision.Decision == ApprovalDecision.Approve)
        {
            if (saga.Editors.Contains(decision.Approver, StringComparer.OrdinalIgnoreCase))
            {
                return "nobody approves a playbook they had regenerated";
            }

            if (saga.Approvals.Any(a => a.ForApply == decision.ForApply && string.Equals(a.Approver, decision.Approver, StringComparison.OrdinalIgnoreCase)))
            {
                return "this approver has already approved; dual control needs a second, distinct person";
            }
        }

        return null;
    }
}
