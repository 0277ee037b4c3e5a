namespace SiemAi.EventStore;

/// <summary>A broken stream: the first version at which its chain stops holding, and why.</summary>
public sealed record StreamFault(string StreamId, long Version, string Reason);
