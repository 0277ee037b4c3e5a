using SiemAi.Contracts;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>Walks the plays and tasks of one playbook, normalises each task and applies the rules. One instance per check.</summary>
internal sealed partial class PlaybookInspector(SafetyOptions options, IReadOnlyCollection<string> allowedHosts, List<SafetyFinding> findings)
{
    private RiskLevel _risk = RiskLevel.Low;

    public RiskLevel Inspect(Node root)
    {
        if (root is not SequenceNode plays || plays.Items.Count == 0)
        {
            Block(SafetyRules.PlaybookShape, "$", "A playbook is a non-empty list of plays.", root.Line);
            return _risk;
        }
        if (allowedHosts.Count == 0 && options.Modules.Count == 0)
        {
            Block(SafetyRules.ModuleNotAllowed, "$", "No module is allowed.", root.Line);
        }
        return _risk;
    }

    private void Block(string rule, string path, string message, int? line) =>
        findings.Add(new SafetyFinding { Rule = rule, Severity = FindingSeverity.Block, Path = path, Message = message, Line = line });
}
