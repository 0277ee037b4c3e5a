namespace SiemAi.Safety.Yaml;

/// <summary>A scalar as written. <see cref="Plain"/> = unquoted (its type follows the YAML core schema);
/// <see cref="Unsafe"/> = Ansible's <c>!unsafe</c>, which Ansible never templates.</summary>
internal sealed class ScalarNode(int line, string value, bool plain, bool @unsafe, string? tag = null) : Node(line)
{
    /// <summary>The explicit tag as written (resolved to its full form), or null.</summary>
    public string? Tag { get; } = tag;

    public string Value { get; } = value;
    public bool Plain { get; } = plain;
    public bool Unsafe { get; } = @unsafe;

    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string ToString() => Value;
}
