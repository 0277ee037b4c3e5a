namespace SiemAi.Ingestion;

/// <summary>Section <c>Ingestion:Syslog</c>; <c>SYSLOG_UDP_PORT</c>/<c>SYSLOG_TCP_PORT</c>/<c>SYSLOG_TLS_PORT</c> override the ports.</summary>
public sealed class SyslogOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>0 binds an ephemeral port (tests read it from <c>SyslogEndpoints</c>); -1 disables UDP.</summary>
    public int UdpPort { get; set; } = 5514;

    /// <summary>0 binds an ephemeral port; -1 disables TCP.</summary>
    public int TcpPort { get; set; } = 5514;

    /// <summary>RFC 5425 syslog over TLS; -1 (the default) disables it, 0 binds an ephemeral port.</summary>
    public int TlsPort { get; set; } = -1;

    /// <summary>Empty means the host's <c>BIND_ADDRESS</c> (default 127.0.0.1), the address the webhook listens on.</summary>
    public string BindAddress { get; set; } = "";

    /// <summary>Larger messages are dropped and counted as <c>oversize</c>.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Messages parsed and waiting for assignment + publish; when full, new ones are dropped as <c>overload</c>.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Messages assigned and published concurrently.</summary>
    public int Workers { get; set; } = 32;

    /// <summary>Open connections per stream listener (TCP, and TLS separately); more are closed and counted.</summary>
    public int MaxTcpConnections { get; set; } = 512;

    /// <summary>A TCP connection silent this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public SyslogTlsOptions Tls { get; set; } = new();
}
