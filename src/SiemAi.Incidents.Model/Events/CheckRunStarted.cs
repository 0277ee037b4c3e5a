using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>check_run_started</c>: a check run (<c>--check --diff</c>) was sent to the runner.</summary>
public sealed record CheckRunStarted(Guid? RunId, int Attempt, IReadOnlyList<string> Approvers) : IIncidentEvent;
