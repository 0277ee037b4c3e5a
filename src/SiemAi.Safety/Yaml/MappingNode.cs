namespace SiemAi.Safety.Yaml;

/// <summary>A mapping whose keys are scalars, in document order, merge keys already applied.</summary>
internal sealed class MappingNode(int line, IReadOnlyList<MappingEntry> entries) : Node(line)
{
    public IReadOnlyList<MappingEntry> Entries { get; } = entries;

    public Node? this[string key] => Entries.FirstOrDefault(e => e.Key == key)?.Value;

    public bool Has(string key) => Entries.Any(e => e.Key == key);
}

internal sealed record MappingEntry(string Key, int Line, Node Value);
