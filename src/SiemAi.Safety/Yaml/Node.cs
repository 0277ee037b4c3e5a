namespace SiemAi.Safety.Yaml;

/// <summary>A node of the playbook after anchors, aliases and merge keys are resolved; keeps its 1-based line.</summary>
internal abstract class Node(int line)
{
    public int Line { get; } = line;
}
