using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary>
/// <c>decision_rejected</c>: a decision that did not count, and why. Fields that do not apply to the refusal are
/// left out of the stored JSON (as the releases before the typed model wrote them).
/// </summary>
public sealed record DecisionRejected(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Approver,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApprovalDecision? Decision,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ForApply = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PlaybookSha256 = null) : IIncidentEvent;
