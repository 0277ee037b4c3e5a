namespace SiemAi.Incidents.Model;

/// <summary>How an incident ended (<c>incident_closed.outcome</c>, stored snake_case) and the status each leaves.</summary>
public enum IncidentOutcome
{
    CheckSucceeded,
    CheckFailed,
    Applied,
    ApplyFailed,
    Blocked,
    Denied,
    Expired,
    Failed,
}
