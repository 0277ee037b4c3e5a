using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>regeneration_requested</c>: an approver asked for a new playbook (and may not approve it).</summary>
public sealed record RegenerationRequested(string Approver, string? Comment, int Regeneration) : IIncidentEvent;
