using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>apply_run_completed</c>: the runner reported a real run.</summary>
public sealed record ApplyRunCompleted(Guid RunId, bool Succeeded, int ExitCode, IReadOnlyList<HostRunResult> Hosts, string? OutputSha256, string? Result, double DurationSeconds) : IIncidentEvent;
