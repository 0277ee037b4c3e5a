using SiemAi.Contracts;

namespace SiemAi.Safety;

/// <summary>The gate's answer for one playbook: the verdict, the risk that counts, and every finding with its rule id.</summary>
public sealed record SafetyReport(SafetyVerdict Verdict, RiskLevel Risk, IReadOnlyList<SafetyFinding> Findings)
{
    /// <summary>Builds a report whose verdict follows from the worst finding: any Block blocks, any Warning warns.</summary>
    public static SafetyReport From(IReadOnlyList<SafetyFinding> findings, RiskLevel risk)
    {
        var verdict = findings.Any(f => f.Severity == FindingSeverity.Block) ? SafetyVerdict.Block
            : findings.Any(f => f.Severity == FindingSeverity.Warning) ? SafetyVerdict.Warn
            : SafetyVerdict.Pass;
        // A blocked playbook never runs, but reviewers still read its risk: show the worst case.
        return new SafetyReport(verdict, verdict == SafetyVerdict.Block ? RiskLevel.Critical : risk, findings);
    }
}
