using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>A task argument after variable substitution: missing, a literal the rules can judge, or unresolved.</summary>
internal readonly record struct ArgValue(ArgState State, string Text, Node? Node)
{
    public static readonly ArgValue Missing = new(ArgState.Missing, "", null);

    public bool IsLiteral => State == ArgState.Literal;

    public bool IsUnresolved => State == ArgState.Unresolved;

    /// <summary>The literal text, or null when missing or unresolved.</summary>
    public string? Literal => State == ArgState.Literal ? Text : null;
}

internal enum ArgState
{
    Missing,
    Literal,
    Unresolved,
}
