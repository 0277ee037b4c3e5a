using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// Turns one producer's JSON body into alerts. Fingerprints are left empty: <see cref="AlertFingerprinter"/>
/// fills them from the configured fields once the alert is in our shape.
/// </summary>
internal interface IJsonAlertAdapter
{
    string Format { get; }

    IReadOnlyList<NormalizedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt);
}
