using System.Text.Json.Nodes;

namespace SiemAi.Approvals.Api;

/// <summary>What the API knows about one incident: the read-model summary and the saga's data.</summary>
public sealed record IncidentSnapshot(Guid Id, string Status, string? PlaybookSha256, JsonObject Summary, JsonObject Data)
{
    public string? RaisedBy => Data["raisedBy"]?.GetValue<string>();
    public List<string> Editors => IncidentReader.Strings(Data, "editors");

    /// <summary>Approvers recorded so far for the review (forApply false) or for apply (forApply true).</summary>
    public List<string> Approvers(bool forApply) =>
        Data["approvals"] is JsonArray array
            ? array.OfType<JsonObject>()
                .Where(a => (a["forApply"]?.GetValue<bool>() ?? false) == forApply)
                .Select(a => a["approver"]?.GetValue<string>())
                .OfType<string>()
                .ToList()
            : [];
}
