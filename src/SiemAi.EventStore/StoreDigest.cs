namespace SiemAi.EventStore;

/// <summary>
/// One hash over every stream's recomputed head as of a global sequence. Kept outside the database,
/// it lets an auditor prove later that nothing up to <see cref="AsOfSequence"/> changed.
/// </summary>
public sealed record StoreDigest(long AsOfSequence, long Streams, long Events, string Digest);
