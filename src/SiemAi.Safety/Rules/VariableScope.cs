using System.Text.RegularExpressions;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>
/// The variables a task can see from play, block and task <c>vars</c>, plus the current loop item. Resolves the simple
/// references generated playbooks use (<c>{{ target }}</c>, <c>{{ item.path }}</c>) so rules judge the value Ansible
/// would use; anything more complex is reported unresolved, and guarded fields then block.
/// </summary>
internal sealed partial class VariableScope
{
    private const int MaxDepth = 8;
    private readonly Dictionary<string, Node> _vars;
    private readonly string _itemName;
    private readonly Node? _item;
    private readonly bool _itemUnresolved;

    public static readonly VariableScope Empty = new(new Dictionary<string, Node>(StringComparer.Ordinal), "item", null, false);

    private VariableScope(Dictionary<string, Node> vars, string itemName, Node? item, bool itemUnresolved)
    {
        _vars = vars;
        _itemName = itemName;
        _item = item;
        _itemUnresolved = itemUnresolved;
    }

    public VariableScope With(Node? vars)
    {
        if (vars is not MappingNode map || map.Entries.Count == 0)
        {
            return this;
        }
        var merged = new Dictionary<string, Node>(_vars, StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            merged[entry.Key] = entry.Value;
        }
        return new VariableScope(merged, _itemName, _item, _itemUnresolved);
    }

    public VariableScope WithItem(string itemName, Node? item, bool unresolved) => new(_vars, itemName, item, unresolved);

    public ArgValue Resolve(Node? node)
    {
        if (node is null || node is ScalarNode { IsNull: true })
        {
            return ArgValue.Missing;
        }
        if (node is not ScalarNode scalar)
        {
            return new ArgValue(ArgState.Literal, "", node);
        }
        if (scalar.Unsafe || !AnsibleValues.IsTemplated(scalar.Value))
        {
            return new ArgValue(ArgState.Literal, scalar.Value, scalar);
        }
        // A value that is exactly one reference may stand for a list or mapping (loop: "{{ files }}").
        var whole = Reference().Match(scalar.Value);
        if (whole.Success && whole.Index == 0 && whole.Length == scalar.Value.Length && Lookup(whole) is { } target && target is not ScalarNode)
        {
            return new ArgValue(ArgState.Literal, "", target);
        }
        var text = Substitute(scalar.Value, 0);
        return text is null ? new ArgValue(ArgState.Unresolved, scalar.Value, scalar) : new ArgValue(ArgState.Literal, text, scalar);
    }

    private string? Substitute(string text, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        var failed = false;
        var result = Reference().Replace(text, m =>
        {
            if (Lookup(m) is ScalarNode s && !s.IsNull)
            {
                var inner = s.Unsafe ? s.Value : Substitute(s.Value, depth + 1);
                if (inner is not null)
                {
                    return inner;
                }
            }
            failed = true;
            return m.Value;
        });
        return failed || AnsibleValues.IsTemplated(result) ? null : result;
    }

    private Node? Lookup(Match m)
    {
        var name = m.Groups[1].Value;
        Node? node;
        if (name == _itemName)
        {
            if (_itemUnresolved)
            {
                return null;
            }
            node = _item;
        }
        else if (!_vars.TryGetValue(name, out node))
        {
            return null;
        }
        foreach (Capture field in m.Groups[2].Captures)
        {
            node = (node as MappingNode)?[field.Value];
        }
        return node;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))*\s*\}\}")]
    private static partial Regex Reference();
}
