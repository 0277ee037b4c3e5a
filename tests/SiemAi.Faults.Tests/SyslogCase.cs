namespace SiemAi.Faults.Tests;

/// <summary>Bytes written on one syslog socket (a datagram, or one TCP connection) and how many rejections they must count.</summary>
public sealed record SyslogCase(string Name, string Transport, byte[] Bytes, int Rejections)
{
    public override string ToString() => Name;
}
