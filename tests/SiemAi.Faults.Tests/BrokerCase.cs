namespace SiemAi.Faults.Tests;

/// <summary>
/// A raw message published on the SiemAlert exchange: its content type, body and a marker in the body
/// to find it again in the error queue, and a word the fault reason must contain (null: any reason).
/// </summary>
public sealed record BrokerCase(string Name, string ContentType, byte[] Body, string Marker, string? ReasonContains)
{
    public override string ToString() => Name;
}
