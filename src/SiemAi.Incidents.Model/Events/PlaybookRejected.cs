using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>playbook_rejected</c>: the safety gate blocked the playbook.</summary>
public sealed record PlaybookRejected(SafetyVerdict Verdict, RiskLevel Risk, IReadOnlyList<SafetyFinding> Findings) : IIncidentEvent;
