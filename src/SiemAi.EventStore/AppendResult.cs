namespace SiemAi.EventStore;

/// <summary>The stream's version after the append; <see cref="AlreadyAppended"/> when a retry found its events already there.</summary>
public readonly record struct AppendResult(long NextExpectedVersion, bool AlreadyAppended);
