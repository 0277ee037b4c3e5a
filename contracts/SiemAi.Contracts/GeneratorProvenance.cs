namespace SiemAi.Contracts;

/// <summary>Which path produced a playbook and from what, so an auditor can reproduce it.</summary>
public sealed record GeneratorProvenance
{
    /// <summary><c>template</c> or <c>llm</c>.</summary>
    public required string Generator { get; init; }
    public string? TemplateId { get; init; }
    public string? TemplateVersion { get; init; }
    public string? Model { get; init; }
    public string? PromptSha256 { get; init; }
    /// <summary>Template match score, 0..1, when a template was chosen.</summary>
    public double? Score { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>Why the LLM path was abandoned for the template library, when it was.</summary>
    public string? FallbackReason { get; init; }
}
