using SiemAi.Contracts;

namespace SiemAi.Runner;

/// <summary>
/// The answer to one RunPlaybook: exactly one of <see cref="Completed"/> and <see cref="Failed"/>, plus what
/// the runner itself observed (whether ansible was started at all, when it held a run slot, where output went).
/// </summary>
public sealed record RunOutcome
{
    public PlaybookRunCompleted? Completed { get; init; }
    public PlaybookRunFailed? Failed { get; init; }

    /// <summary>False for every refusal: the hash or approval check stopped the run before any process started.</summary>
    public bool AnsibleStarted { get; init; }

    /// <summary>When ansible-playbook was started and when it (and anything it left) ended.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The run's fresh directory (deleted afterwards); every process of the run had it as HOME.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The archived stdout, also named by <see cref="OutputSha256"/>.</summary>
    public string? OutputPath { get; init; }
    public string? OutputSha256 { get; init; }

    /// <summary>The message to publish.</summary>
    public object Message => (object?)Completed ?? Failed ?? throw new InvalidOperationException("An outcome holds a result.");
}
