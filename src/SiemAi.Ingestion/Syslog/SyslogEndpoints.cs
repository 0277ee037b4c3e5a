namespace SiemAi.Ingestion.Syslog;

/// <summary>The ports the syslog listeners actually bound (useful with port 0); null while not listening.</summary>
public sealed class SyslogEndpoints
{
    public int? UdpPort { get; internal set; }

    public int? TcpPort { get; internal set; }
}
