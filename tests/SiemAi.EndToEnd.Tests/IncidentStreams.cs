namespace SiemAi.EndToEnd.Tests;

/// <summary>Stretches of an incident's audit stream (event types in order) that several paths share.</summary>
public static class IncidentStreams
{
    /// <summary>From the alert to the playbook awaiting approval.</summary>
    public static readonly string[] UnderReview = ["alert_received", "playbook_generated", "playbook_verified", "approval_requested"];

    /// <summary>From the approved playbook's check run to the incident's close.</summary>
    public static readonly string[] Checked = ["check_run_started", "check_run_completed", "incident_closed"];
}
