using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>check_run_completed</c>: the runner reported a check run.</summary>
public sealed record CheckRunCompleted(Guid RunId, bool Succeeded, int ExitCode, IReadOnlyList<HostRunResult> Hosts, string? OutputSha256, string? Result, double DurationSeconds) : IIncidentEvent;
