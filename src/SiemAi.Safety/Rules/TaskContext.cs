using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>One normalised task (for one loop item): its module, arguments and the variables it sees.</summary>
internal sealed record TaskContext(string Module, string RawName, string Path, int Line, IReadOnlyDictionary<string, Node> Args, VariableScope Scope)
{
    /// <summary>The first of the given names (an argument and its aliases) that is present.</summary>
    public ArgValue Arg(params string[] names)
    {
        foreach (var name in names)
        {
            if (Args.TryGetValue(name, out var node))
            {
                return Scope.Resolve(node);
            }
        }
        return ArgValue.Missing;
    }

    /// <summary>A list argument (package or service names): a YAML list, or comma-separated text as Ansible accepts.</summary>
    public IReadOnlyList<ArgValue> List(params string[] names)
    {
        var value = Arg(names);
        if (value.Node is SequenceNode seq && value.IsLiteral)
        {
            return [.. seq.Items.Select(Scope.Resolve).Where(v => v.State != ArgState.Missing)];
        }
        if (value.Literal is { } text)
        {
            return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => new ArgValue(ArgState.Literal, t, value.Node))];
        }
        return value.IsUnresolved ? [value] : [];
    }

    public bool? Bool(params string[] names) => Arg(names).Literal is { } text ? AnsibleValues.Boolean(text) : null;
}
