namespace SiemAi.EventStore;

/// <summary>Another writer got there first: the stream is at <see cref="ActualVersion"/>, not the expected version.</summary>
public sealed class WrongExpectedVersionException : Exception
{
    public WrongExpectedVersionException(string streamId, ExpectedVersion expected, long actualVersion)
        : base($"Stream '{streamId}' is at version {actualVersion}, expected {expected}.")
    {
        StreamId = streamId;
        Expected = expected;
        ActualVersion = actualVersion;
    }

    public string StreamId { get; }
    public ExpectedVersion Expected { get; }
    public long ActualVersion { get; }
}
