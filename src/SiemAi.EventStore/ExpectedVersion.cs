namespace SiemAi.EventStore;

/// <summary>What the writer believes the stream's version is, as in EventStoreDB and Marten.</summary>
public readonly record struct ExpectedVersion(long Value)
{
    /// <summary>Append wherever the stream is now.</summary>
    public static ExpectedVersion Any { get; } = new(-1);

    /// <summary>The stream must not exist yet (or be empty).</summary>
    public static ExpectedVersion NoStream { get; } = new(0);

    public static ExpectedVersion Exact(long version) =>
        version >= 0 ? new(version) : throw new ArgumentOutOfRangeException(nameof(version), version, "A stream version is 0 or more.");

    public override string ToString() => Value switch { -1 => "any", 0 => "no stream", _ => Value.ToString() };
}
