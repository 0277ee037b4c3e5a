using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>Jinja everywhere Ansible evaluates it: every templated value, every mapping key, and the bare-expression keywords.</summary>
internal sealed partial class PlaybookInspector
{
    /// <summary>Keywords Ansible evaluates as a bare Jinja expression (conditional.py), without <c>{{ }}</c>.</summary>
    public static readonly IReadOnlyList<string> BareExpressionKeywords = ["when", "until", "failed_when", "changed_when"];

    private IReadOnlySet<string> _declared = new HashSet<string>();

    /// <summary>
    /// The names a template may read: play/block/task <c>vars</c>, registered results, <c>set_fact</c> keys, loop variables,
    /// <c>item</c>, and the inventory variables the operator declares. Facts Ansible gathers are in <see cref="Jinja.MagicVariables"/>.
    /// </summary>
    private static HashSet<string> CollectDeclared(Node root, IEnumerable<string> inventoryVariables)
    {
        var declared = new HashSet<string>(inventoryVariables, StringComparer.Ordinal) { "item" };
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case SequenceNode seq:
                    foreach (var item in seq.Items)
                    {
                        stack.Push(item);
                    }
                    break;
                case ScalarNode { Unsafe: false } scalar:
                    declared.UnionWith(Jinja.GuardedNames(scalar.Value, bare: false).Where(n => !SecretKey().IsMatch(n)));
                    break;
                case MappingNode map:
                    foreach (var entry in map.Entries)
                    {
                        if (BareExpressionKeywords.Contains(entry.Key) || entry.Key is "that" or "var")
                        {
                            foreach (var expression in entry.Value is SequenceNode list ? list.Items : [entry.Value])
                            {
                                if (expression is ScalarNode { Unsafe: false } e)
                                {
                                    declared.UnionWith(Jinja.GuardedNames(e.Value, bare: true).Where(n => !SecretKey().IsMatch(n)));
                                }
                            }
                        }
                        switch (entry.Key)
                        {
                            case "vars" when entry.Value is MappingNode vars:
                                declared.UnionWith(vars.Entries.Select(e => e.Key));
                                break;
                            case "register" when entry.Value is ScalarNode name:
                                declared.Add(name.Value);
                                break;
                            case "set_fact" or "ansible.builtin.set_fact" or "ansible.legacy.set_fact" when entry.Value is MappingNode facts:
                                declared.UnionWith(facts.Entries.Select(e => e.Key).Where(k => k != "cacheable"));
                                break;
                            case "loop_control" when entry.Value is MappingNode control:
                                foreach (var key in new[] { "loop_var", "index_var" })
                                {
                                    if (control[key] is ScalarNode v)
                                    {
                                        declared.Add(v.Value);
                                    }
                                }
                                break;
                        }
                        stack.Push(entry.Value);
                    }
                    break;
            }
        }
        // A name that would shadow Ansible's own connection or interpreter settings is never a declaration the grammar honours.
        declared.RemoveWhere(n => n.StartsWith('_') || n.StartsWith("ansible_", StringComparison.Ordinal));
        return declared;
    }

    /// <summary>A value Ansible templates: refused unless its Jinja stays inside the grammar.</summary>
    private void CheckTemplatedValue(ScalarNode scalar, string path)
    {
        if (scalar.Unsafe || !Jinja.IsTemplated(scalar.Value))
        {
            return;
        }
        if (Jinja.CheckTemplate(scalar.Value, _declared) is { } why)
        {
            Block(SafetyRules.UnsafeTemplate, path, $"The template is outside the allowed Jinja grammar: {why}.", scalar.Line);
        }
    }

    /// <summary>A mapping key is templated by Ansible in several places (set_fact, vars); a generated playbook never needs that.</summary>
    private void CheckKey(MappingEntry entry, string path)
    {
        if (Jinja.IsTemplated(entry.Key))
        {
            Block(SafetyRules.UnsafeTemplate, path, $"The key '{entry.Key}' is a template; keys are plain names.", entry.Line);
        }
    }

    /// <summary>A bare expression (<c>when: x is defined</c>): a string, a list of strings, or a literal boolean.</summary>
    private void CheckBareExpression(Node node, string path)
    {
        switch (node)
        {
            case ScalarNode { Unsafe: true } s:
                Block(SafetyRules.UnsafeTemplate, path, "A conditional cannot be !unsafe; Ansible would still evaluate it.", s.Line);
                break;
            case ScalarNode s when s.Plain && AnsibleValues.Boolean(s.Value) is not null:
                break;
            case ScalarNode s when s.IsNull:
                break;
            case ScalarNode s:
                if (Jinja.CheckExpression(s.Value, _declared) is { } why)
                {
                    Block(SafetyRules.UnsafeTemplate, path, $"The expression '{Shorten(s.Value)}' is outside the allowed Jinja grammar: {why}.", s.Line);
                }
                break;
            case SequenceNode seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    CheckBareExpression(seq.Items[i], $"{path}[{i}]");
                }
                break;
            default:
                Block(SafetyRules.UnsafeTemplate, path, "A conditional must be an expression or a list of expressions.", node.Line);
                break;
        }
    }
}
