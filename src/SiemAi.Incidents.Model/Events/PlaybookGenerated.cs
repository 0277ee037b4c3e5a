using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>playbook_generated</c>: the bytes under review (their hash is in the metadata).</summary>
public sealed record PlaybookGenerated(string Title, int Attempt, RiskLevel DeclaredRisk, GeneratorProvenance? Provenance, string PlaybookYaml) : IIncidentEvent;
