using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>playbook_generation_failed</c>: one attempt failed; the saga retries or closes.</summary>
public sealed record PlaybookGenerationFailed(string Reason, int Attempt, bool Retryable) : IIncidentEvent;
