namespace SiemAi.Contracts;

/// <summary>One severity scale for every source format (each adapter maps onto it).</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
