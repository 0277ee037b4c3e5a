using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Normalization;

/// <summary>Either the alerts of a body, fingerprinted, attributed and valid, or the problem that refuses it.</summary>
public sealed record NormalizationResult(IReadOnlyList<AdaptedAlert> Alerts, NormalizationProblem? Problem)
{
    public static NormalizationResult Refused(NormalizationProblem problem) => new([], problem);

    public static NormalizationResult Refused(int status, string slug, string title, string detail, string field) =>
        new([], new NormalizationProblem(status, slug, title, detail, field));
}
