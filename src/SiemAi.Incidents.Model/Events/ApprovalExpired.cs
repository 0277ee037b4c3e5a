using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>approval_expired</c>: no decision before the deadline.</summary>
public sealed record ApprovalExpired(DateTimeOffset? Deadline, int Approvals, int Required) : IIncidentEvent;
