using System.Text;

namespace SiemAi.Safety.Rules;

/// <summary>
/// Writes the remediation profile's tables (what is allowed) as Markdown from the very tables the rules use, so
/// <c>docs/safety.md</c> can carry them verbatim and a test can prove the document has not drifted from the code.
/// </summary>
internal static class ProfileDocument
{
    public const string Begin = "<!-- profile:begin (generated from the code by ProfileDocument; a test fails when they differ) -->";
    public const string End = "<!-- profile:end -->";

    public static string Render(SafetyOptions defaults)
    {
        var md = new StringBuilder();
        md.Append(Begin).Append('\n');
        md.Append("### Modules and their arguments\n\n");
        md.Append("Short names are the `ansible.builtin.`, `ansible.legacy.`, `ansible.posix.` and `community.general.` modules of that name.\n\n");
        md.Append("| module | risk | states | arguments |\n|---|---|---|---|\n");
        foreach (var (module, policy) in defaults.Modules.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var args = ModuleSchemas.FreeKeys(module) ? "fact names (never `ansible_*`)"
                : ModuleSchemas.Arguments.TryGetValue(module, out var allowed) ? string.Join(", ", allowed.Select(a => $"`{a}`"))
                : "(operator-defined: no schema)";
            var states = policy.AllowedStates.Count == 0 ? "any" : string.Join(", ", policy.AllowedStates);
            md.Append($"| `{module}` | {policy.Risk} | {states} | {args} |\n");
        }
        md.Append("\n### Jinja\n\n");
        md.Append($"- Filters: {Codes(Jinja.Filters)}\n");
        md.Append($"- Tests: {Codes(Jinja.Tests)}\n");
        md.Append($"- Names Ansible provides that may be read: {Codes(Jinja.MagicVariables)}\n");
        md.Append($"- Bare-expression keywords: {Codes(PlaybookInspector.BareExpressionKeywords)}, `assert.that`, `debug.var`\n");
        md.Append("\n### Kernel settings (`sysctl`) and their only value\n\n");
        md.Append(string.Join(", ", PlaybookInspector.HardeningSysctls.Select(kv => $"`{kv.Key}={kv.Value}`"))).Append('\n');
        md.Append("\n### Keywords\n\n");
        md.Append($"- Play: {Codes(PlaybookInspector.AllowedPlayKeywords)}\n");
        md.Append($"- Task and block: {Codes(PlaybookInspector.AllowedTaskKeywords)}\n");
        md.Append(End).Append('\n');
        return md.ToString();
    }

    private static string Codes(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"`{n}`"));
}
