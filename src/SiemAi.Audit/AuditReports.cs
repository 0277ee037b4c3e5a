using SiemAi.EventStore;

namespace SiemAi.Audit;

/// <summary>The shapes auditors read (serialised with <see cref="IncidentReplay.Json"/>): the CLI's --json and the HTTP API agree.</summary>
public static class AuditReports
{
    public static VerificationSummary Verification(VerificationReport report) => new(
        report.Intact,
        report.StreamsChecked,
        report.EventsChecked,
        report.Faults.Select(f => new FaultSummary(f.StreamId, f.Version, f.Reason)).ToList());

    public static DigestSummary Digest(StoreDigest digest) => new(digest.AsOfSequence, digest.Streams, digest.Events, digest.Digest);

    public sealed record VerificationSummary(bool Intact, long StreamsChecked, long EventsChecked, IReadOnlyList<FaultSummary> Faults);

    public sealed record FaultSummary(string StreamId, long Version, string Reason);

    public sealed record DigestSummary(long AsOfSequence, long Streams, long Events, string Digest);
}
