using System.Net;

namespace SiemAi.Ingestion.Syslog;

/// <summary>Where the syslog listeners actually bound (useful with port 0); null while not listening.</summary>
public sealed class SyslogEndpoints
{
    public IPAddress? Address { get; internal set; }

    public int? UdpPort { get; internal set; }

    public int? TcpPort { get; internal set; }

    public int? TlsPort { get; internal set; }
}
