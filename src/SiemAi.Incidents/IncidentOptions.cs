using System.ComponentModel.DataAnnotations;
using SiemAi.Contracts;

namespace SiemAi.Incidents;

/// <summary>Saga rules an operator can tune (section "Incidents"; <c>DUAL_CONTROL_ENABLED</c> also works).</summary>
public sealed class IncidentOptions
{
    public const string Section = "Incidents";

    /// <summary>Two distinct approvers instead of one.</summary>
    public bool DualControlEnabled { get; set; } = true;

    /// <summary>How long approvers have, per alert severity, before the incident expires.</summary>
    public Dictionary<Severity, TimeSpan> ApprovalDeadlines { get; set; } = new()
    {
        [Severity.Critical] = TimeSpan.FromHours(1),
        [Severity.High] = TimeSpan.FromHours(4),
        [Severity.Medium] = TimeSpan.FromHours(24),
        [Severity.Low] = TimeSpan.FromHours(72),
        [Severity.Info] = TimeSpan.FromHours(72),
    };

    /// <summary>Playbooks at or above this risk also need a change-advisory board decision.</summary>
    public RiskLevel CabRiskThreshold { get; set; } = RiskLevel.High;

    [Range(1, 10)]
    public int MaxGenerationAttempts { get; set; } = 3;

    [Range(0, 10)]
    public int MaxRegenerations { get; set; } = 3;

    [Range(1, 10)]
    public int MaxRunAttempts { get; set; } = 2;

    public TimeSpan GenerationTimeout { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan VerificationTimeout { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan DeadlineFor(Severity severity) =>
        ApprovalDeadlines.TryGetValue(severity, out var deadline) ? deadline : TimeSpan.FromHours(24);
}
