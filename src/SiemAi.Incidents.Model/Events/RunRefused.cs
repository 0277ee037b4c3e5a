using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>run_refused</c>: the runner refused to run these bytes (its own approval check failed).</summary>
public sealed record RunRefused(Guid RunId, string Reason) : IIncidentEvent;
