using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>cab_requested</c>: the approvals are complete and the change-advisory board is asked.</summary>
public sealed record CabRequested(RiskLevel? Risk, IReadOnlyList<string> Approvers) : IIncidentEvent;
