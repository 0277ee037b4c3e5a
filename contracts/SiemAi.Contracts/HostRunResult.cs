namespace SiemAi.Contracts;

public sealed record HostRunResult
{
    public required string Host { get; init; }
    public int Ok { get; init; }
    public int Changed { get; init; }
    public int Failed { get; init; }
    public int Unreachable { get; init; }
    public int Skipped { get; init; }
    public int Rescued { get; init; }
    public int Ignored { get; init; }
}
