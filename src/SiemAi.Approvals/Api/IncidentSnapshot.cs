using System.Text.Json.Nodes;
using SiemAi.Incidents.Model;

namespace SiemAi.Approvals.Api;

/// <summary>What the API knows about one incident: its status, the read-model summary and the saga's data.</summary>
public sealed record IncidentSnapshot(Guid Id, IncidentStatus Status, string? PlaybookSha256, JsonObject Summary, JsonObject Data) : IApprovalSubject
{
    public string? RaisedBy => Data["raisedBy"]?.GetValue<string>();
    public List<string> Editors => IncidentReader.Strings(Data, "editors");
    public string? CabChangeRequestId => Data["cabChangeRequestId"]?.GetValue<string>();

    IEnumerable<string> IApprovalSubject.Editors => Editors;

    /// <summary>Approvers recorded so far for the review (forApply false) or for apply (forApply true).</summary>
    public IEnumerable<string> ApproversFor(bool forApply) =>
        Data["approvals"] is JsonArray array
            ? array.OfType<JsonObject>()
                .Where(a => (a["forApply"]?.GetValue<bool>() ?? false) == forApply)
                .Select(a => a["approver"]?.GetValue<string>())
                .OfType<string>()
                .ToList()
            : [];
}
