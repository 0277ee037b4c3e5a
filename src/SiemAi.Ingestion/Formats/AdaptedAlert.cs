using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// An alert in our shape and the producer fields no known field took (kept under <c>Fields</c> by these names).
/// <see cref="SourcePaths"/> says where each normalized field was read (<c>sourceIp</c> → <c>src_ip</c>), so a
/// validation error names the producer's own field.
/// </summary>
public sealed record AdaptedAlert(NormalizedAlert Alert, IReadOnlyList<string> UnmappedFields, IReadOnlyDictionary<string, string>? SourcePaths = null)
{
    /// <summary>A validator's property name (<c>mitreTechniques[0]</c>) in the producer's terms (<c>mitre[0]</c>).</summary>
    public string ProducerName(string property)
    {
        if (SourcePaths is null)
        {
            return property;
        }

        var bracket = property.IndexOf('[', StringComparison.Ordinal);
        var head = bracket < 0 ? property : property[..bracket];
        return SourcePaths.TryGetValue(head, out var path) ? path + (bracket < 0 ? "" : property[bracket..]) : property;
    }
}
