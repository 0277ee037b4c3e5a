using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>playbook_verified</c>: the safety gate let the playbook through (pass or warn).</summary>
public sealed record PlaybookVerified(SafetyVerdict Verdict, RiskLevel Risk, IReadOnlyList<SafetyFinding> Findings) : IIncidentEvent;
