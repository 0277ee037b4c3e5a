namespace SiemAi.Sandbox;

/// <summary>What one sandboxed program may see and use, beyond the read-only system directories.</summary>
public sealed record SandboxSpec
{
    /// <summary>The private work directory: the only writable host directory, bound at the same path; the program starts in it.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The whole environment of the program (nothing is inherited from the calling process).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra host paths shown read-only at the same path (an inventory, a key).</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>Extra host paths shown read-write at the same path (the lab's targets during an approved apply).</summary>
    public IReadOnlyList<string> WritablePaths { get; init; } = [];

    /// <summary>False (the default): a network namespace with only a down loopback, so no address is reachable.</summary>
    public bool ShareNetwork { get; init; }
}
