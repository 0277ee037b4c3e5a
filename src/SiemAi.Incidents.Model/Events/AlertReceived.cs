using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>alert_received</c>: an alert opened the incident or joined it (<see cref="AlertCount"/> says which).</summary>
public sealed record AlertReceived(
    Guid AlertId,
    int AlertCount,
    string SourceSystem,
    string Format,
    string? RuleId,
    string? RuleName,
    string Title,
    Severity Severity,
    string? Asset,
    string? User,
    string? SourceIp,
    string? DestinationIp,
    IReadOnlyList<string> MitreTechniques,
    string Fingerprint,
    DateTimeOffset ObservedAt,
    string RawPayload) : IIncidentEvent
{
    public static AlertReceived Of(NormalizedAlert alert, int count) => new(
        alert.AlertId, count, alert.SourceSystem, alert.Format, alert.RuleId, alert.RuleName, alert.Title, alert.Severity,
        alert.Asset, alert.User, alert.SourceIp, alert.DestinationIp, alert.MitreTechniques, alert.Fingerprint, alert.ObservedAt, alert.RawPayload);
}
