namespace SiemAi.Contracts;

public sealed record PlaybookGenerated
{
    public required Guid IncidentId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The exact YAML text; its UTF-8 bytes hash to <see cref="PlaybookSha256"/>.</summary>
    public required string PlaybookYaml { get; init; }
    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of <see cref="PlaybookYaml"/>.</summary>
    public required string PlaybookSha256 { get; init; }
    public required string Title { get; init; }
    /// <summary>The generator's own estimate; the safety gate decides the risk that counts.</summary>
    public RiskLevel DeclaredRisk { get; init; } = RiskLevel.Medium;
    public required GeneratorProvenance Provenance { get; init; }
    public int Attempt { get; init; } = 1;
}
