using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>incident_closed</c>: the incident reached an end state.</summary>
public sealed record IncidentClosed(IncidentOutcome Outcome, string? Reason) : IIncidentEvent;
