using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>run_failed</c>: a run did not finish (the saga retries or closes).</summary>
public sealed record RunFailed(Guid RunId, string Reason, int Attempt, bool Retryable) : IIncidentEvent;
