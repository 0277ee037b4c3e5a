namespace SiemAi.Generation.Templates;

/// <summary>
/// One template parameter: where its value comes from in the alert (first source that has one wins),
/// its type, and extra limits. Sources are alert field names (<c>SourceIp</c>, <c>User</c>, ...),
/// <c>Fields.&lt;key&gt;</c> for producer fields, optionally with <c>:basename</c> (last path segment).
/// </summary>
public sealed record ParameterSpec
{
    public required string Name { get; init; }
    public required ParameterType Type { get; init; }
    public IReadOnlyList<string> Sources { get; init; } = [];
    public bool Required { get; init; } = true;
    /// <summary>Used when no source has a value; comes from the template (trusted) but is validated like alert data.</summary>
    public string? Default { get; init; }
    /// <summary>Values refused even though they are well-formed (e.g. <c>root</c> for an account to lock).</summary>
    public IReadOnlyList<string> Forbidden { get; init; } = [];
    /// <summary>For paths: the value must start with one of these.</summary>
    public IReadOnlyList<string> AllowedPrefixes { get; init; } = [];
    public string? Description { get; init; }
}
