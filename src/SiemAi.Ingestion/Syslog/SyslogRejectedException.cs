namespace SiemAi.Ingestion.Syslog;

/// <summary>A syslog message we drop; <see cref="Reason"/> is the metric tag (invalid_pri, invalid_rfc5424, ...).</summary>
public sealed class SyslogRejectedException : Exception
{
    public SyslogRejectedException(string reason, string message)
        : base(message) => Reason = reason;

    public SyslogRejectedException()
    {
        Reason = "invalid";
    }

    public SyslogRejectedException(string message)
        : base(message) => Reason = "invalid";

    public SyslogRejectedException(string message, Exception innerException)
        : base(message, innerException) => Reason = "invalid";

    public string Reason { get; }
}
