using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>cab_decided</c>: the change-advisory board approved or rejected the change.</summary>
public sealed record CabDecided(CabDecision Decision, string? ChangeRequestId, string? DecidedBy, string? Comment) : IIncidentEvent;
