namespace SiemAi.Contracts;

/// <summary>One rule's finding. <see cref="Path"/> points into the playbook, e.g. <c>plays[0].handlers[1]</c>.</summary>
public sealed record SafetyFinding
{
    public required string Rule { get; init; }
    public required FindingSeverity Severity { get; init; }
    public required string Path { get; init; }
    public required string Message { get; init; }
    /// <summary>1-based line in the YAML text, when known (the review UI marks it).</summary>
    public int? Line { get; init; }
}
