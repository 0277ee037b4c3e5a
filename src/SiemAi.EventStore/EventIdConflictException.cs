namespace SiemAi.EventStore;

/// <summary>Some of the event ids are already stored somewhere else: a retry must append the same ids at the same position.</summary>
public sealed class EventIdConflictException(string streamId, long actualVersion)
    : Exception($"Some event ids appended to stream '{streamId}' (at version {actualVersion}) already exist at another position.")
{
    public string StreamId { get; } = streamId;
    public long ActualVersion { get; } = actualVersion;
}
