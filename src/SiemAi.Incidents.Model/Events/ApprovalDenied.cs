using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>approval_denied</c>: an approver said no; the incident closes as denied.</summary>
public sealed record ApprovalDenied(string Approver, string? Comment) : IIncidentEvent;
