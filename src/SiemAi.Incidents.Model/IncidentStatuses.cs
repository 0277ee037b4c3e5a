namespace SiemAi.Incidents.Model;

/// <summary>Status names as stored (<c>incidents.status</c>, the saga's <c>current_state</c>) and groups readers ask about.</summary>
public static class IncidentStatuses
{
    public static string Name(this IncidentStatus status) => status.ToString();

    public static IncidentStatus? Parse(string? name) => Enum.TryParse<IncidentStatus>(name, ignoreCase: false, out var status) && Enum.IsDefined(status) ? status : null;

    /// <summary>Waiting for people (approvers or the CAB): what the approval deadline metric watches.</summary>
    public static bool AwaitsDecision(this IncidentStatus status) => status is IncidentStatus.AwaitingApproval or IncidentStatus.AwaitingCab;

    /// <summary>What the review queue lists: decisions on the playbook, the CAB, and apply approvals after a check.</summary>
    public static IReadOnlyList<IncidentStatus> ReviewQueue { get; } = [IncidentStatus.AwaitingApproval, IncidentStatus.AwaitingCab, IncidentStatus.CheckSucceeded];

    /// <summary>The status a decision of this kind is taken in (the playbook's review, or apply after a check).</summary>
    public static IncidentStatus DecidedIn(bool forApply) => forApply ? IncidentStatus.CheckSucceeded : IncidentStatus.AwaitingApproval;
}
