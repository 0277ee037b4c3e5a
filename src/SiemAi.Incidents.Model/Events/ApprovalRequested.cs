using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>approval_requested</c>: how many people must approve, whether the CAB must too, and by when.</summary>
public sealed record ApprovalRequested(int Required, bool DualControl, bool NeedsCab, DateTimeOffset? Deadline) : IIncidentEvent;
