using SiemAi.Contracts;
using SiemAi.Safety.Rules;
using SiemAi.Sandbox;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety;

/// <summary>
/// Decides whether a playbook may go on to review: strict YAML parse, task normalisation, rules,
/// and (in <see cref="CheckAsync"/>) ansible-playbook's own syntax check as a second opinion.
/// Holds no per-call state, so one instance serves every consumer and thread.
/// </summary>
public sealed class PlaybookSafetyGate
{
    private readonly SafetyOptions _options;
    private readonly AnsibleSyntaxChecker _syntaxChecker;

    /// <summary>A gate whose syntax check runs in the default sandbox (bwrap from PATH, required).</summary>
    public PlaybookSafetyGate(SafetyOptions options)
        : this(options, new BubblewrapSandbox(new SandboxOptions()))
    {
    }

    /// <summary>A gate whose syntax check runs in <paramref name="sandbox"/>.</summary>
    public PlaybookSafetyGate(SafetyOptions options, BubblewrapSandbox sandbox)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sandbox);
        _options = options;
        _syntaxChecker = new AnsibleSyntaxChecker(options, sandbox);
    }

    /// <summary>True when <see cref="CheckAsync"/> also asks ansible-playbook --syntax-check.</summary>
    public bool SyntaxCheckEnabled => _syntaxChecker.Enabled;

    /// <summary>Static checks only: no process, no I/O. <paramref name="allowedHosts"/> empty or null = no host restriction beyond the rules.</summary>
    public SafetyReport Check(string yaml, IReadOnlyCollection<string>? allowedHosts = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var findings = new List<SafetyFinding>();
        var root = StrictYamlLoader.Load(yaml, _options.MaxNodes, findings);
        var risk = RiskLevel.Low;
        if (root is not null)
        {
            risk = new PlaybookInspector(_options, allowedHosts ?? [], findings).Inspect(root);
        }
        else if (findings.Count == 0)
        {
            findings.Add(StrictYamlLoader.Finding(SafetyRules.PlaybookShape, "$", "The text holds no YAML document.", null));
        }
        return SafetyReport.From(Ordered(findings), risk);
    }

    /// <summary>
    /// <see cref="Check"/> plus <c>ansible-playbook --syntax-check</c>. When ansible-playbook rejects a playbook the
    /// rules passed, the two disagree and the playbook is blocked: the gate never vouches for text Ansible cannot read.
    /// The rules come first and a playbook they block never reaches ansible; the check itself runs in the sandbox
    /// (docs/sandbox.md) and its finding carries a classified reason, never ansible's text.
    /// </summary>
    public async Task<SafetyReport> CheckAsync(string yaml, IReadOnlyCollection<string>? allowedHosts, CancellationToken ct)
    {
        var report = Check(yaml, allowedHosts);
        if (report.Verdict == SafetyVerdict.Block || !_syntaxChecker.Enabled)
        {
            // A blocked playbook stays blocked whatever ansible-playbook says; no need to run a process for it.
            return report;
        }
        var finding = await _syntaxChecker.CheckAsync(yaml, ct).ConfigureAwait(false);
        if (finding is null)
        {
            return report;
        }
        return SafetyReport.From(Ordered([.. report.Findings, finding]), report.Risk);
    }

    private static List<SafetyFinding> Ordered(List<SafetyFinding> findings) =>
        [.. findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Line ?? int.MaxValue).ThenBy(f => f.Rule, StringComparer.Ordinal)];
}
