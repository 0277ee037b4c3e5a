namespace SiemAi.Incidents.Model;

/// <summary>
/// Every state an incident can be in; the saga's states carry these names (a test pins that) and every reader
/// compares against these values, never a string literal. <see cref="None"/> is a replay before any event,
/// <see cref="Initial"/> the saga's state before its first transition.
/// </summary>
public enum IncidentStatus
{
    None,
    Initial,
    Received,
    Generating,
    Verifying,
    AwaitingApproval,
    AwaitingCab,
    Approved,
    CheckRunning,
    CheckSucceeded,
    CheckFailed,
    ApplyRunning,
    Applied,
    ApplyFailed,
    Blocked,
    Denied,
    Expired,
    Failed,
}
