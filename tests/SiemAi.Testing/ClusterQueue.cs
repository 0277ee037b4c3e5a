namespace SiemAi.Testing;

/// <summary>One queue of a <see cref="PrivateRabbitCluster"/>: its type, the nodes holding a replica and those of them online.</summary>
public sealed record ClusterQueue(string Name, string Type, IReadOnlyList<string> Members, IReadOnlyList<string> Online, long Messages)
{
    public override string ToString() =>
        $"{Name} {Type} {Messages} msgs, members [{string.Join(", ", Members)}], online [{string.Join(", ", Online)}]";
}
