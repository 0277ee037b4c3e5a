namespace SiemAi.Generation;

/// <summary>
/// Settings of the playbook generator (section <c>Generation</c>). The environment names
/// <c>MODEL_MODE</c>, <c>LLM_ENDPOINT</c>, <c>LLM_API_KEY</c> and <c>LLM_MODEL</c> override the section.
/// </summary>
public sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    public ModelMode ModelMode { get; set; } = ModelMode.Local;

    /// <summary>Full URL of the OpenAI-compatible chat completions endpoint, e.g. <c>https://llm.internal/v1/chat/completions</c>.</summary>
    public Uri? LlmEndpoint { get; set; }

    /// <summary>Bearer token for the endpoint. Never logged.</summary>
    public string? LlmApiKey { get; set; }

    public string LlmModel { get; set; } = "gpt-4o-mini";

    /// <summary>Directory holding the template library; empty = find <c>playbooks/templates</c> from the content root upward.</summary>
    public string? TemplatesPath { get; set; }

    /// <summary>Minimum match score (0..1) for a template; below it the read-only evidence playbook is produced.</summary>
    public double SelectionThreshold { get; set; } = 0.5;

    /// <summary>Timeout of one HTTP attempt to the LLM.</summary>
    public TimeSpan LlmAttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one LLM call including all retries and back-off.</summary>
    public TimeSpan LlmTotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    public int LlmMaxRetries { get; set; } = 2;

    public TimeSpan LlmRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many LLM calls one incident may cause in this process (regenerations included); then templates only.</summary>
    public int LlmMaxCallsPerIncident { get; set; } = 3;

    /// <summary>Answers longer than this are not parsed (a playbook is small; a huge answer is a fault).</summary>
    public int LlmMaxAnswerChars { get; set; } = 64_000;

    public int LlmMaxTokens { get; set; } = 2_000;
}
