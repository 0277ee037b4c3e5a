using SiemAi.Contracts;

namespace SiemAi.Generation;

/// <summary>A playbook as produced by a generator: exact YAML text, its hash, and how it came to be.</summary>
public sealed record GeneratedPlaybook
{
    public required string Yaml { get; init; }
    public required string Title { get; init; }
    public required RiskLevel DeclaredRisk { get; init; }
    public required GeneratorProvenance Provenance { get; init; }

    public string Sha256 => PlaybookHash.Of(Yaml);
}
