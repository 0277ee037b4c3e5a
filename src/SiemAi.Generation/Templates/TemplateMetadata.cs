using SiemAi.Contracts;

namespace SiemAi.Generation.Templates;

/// <summary>The metadata file of a template (<c>metadata.yml</c>).</summary>
public sealed record TemplateMetadata
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    /// <summary><c>remediation</c>, or <c>evidence</c> for the read-only playbook used when nothing matches.</summary>
    public required string Kind { get; init; }
    public IReadOnlyList<string> MitreTechniques { get; init; } = [];
    public MatchCriteria Match { get; init; } = new();
    public IReadOnlyList<ParameterSpec> Parameters { get; init; } = [];
    public required RiskLevel Risk { get; init; }
    public required string Reversibility { get; init; }

    public bool IsEvidence => Kind == "evidence";
}
