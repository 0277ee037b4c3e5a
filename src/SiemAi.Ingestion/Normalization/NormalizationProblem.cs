namespace SiemAi.Ingestion.Normalization;

/// <summary>
/// Why a body is refused, in the terms of an RFC 7807 problem: status, type slug (<c>urn:siemai:problem:&lt;slug&gt;</c>),
/// title, detail and the one field at fault; <see cref="Errors"/> holds every failed field when validation failed.
/// </summary>
public sealed record NormalizationProblem(int Status, string Slug, string Title, string Detail, string Field)
{
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
