using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>apply_run_started</c>: a real run was sent to the runner.</summary>
public sealed record ApplyRunStarted(Guid? RunId, int Attempt, IReadOnlyList<string> Approvers) : IIncidentEvent;
