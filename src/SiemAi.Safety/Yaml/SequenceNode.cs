namespace SiemAi.Safety.Yaml;

internal sealed class SequenceNode(int line, IReadOnlyList<Node> items) : Node(line)
{
    public IReadOnlyList<Node> Items { get; } = items;
}
