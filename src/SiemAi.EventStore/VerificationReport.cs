namespace SiemAi.EventStore;

public sealed record VerificationReport(long StreamsChecked, long EventsChecked, IReadOnlyList<StreamFault> Faults)
{
    public bool Intact => Faults.Count == 0;
}
