namespace SiemAi.Ingestion.Formats;

/// <summary>The format names carried in <c>NormalizedAlert.Format</c> and accepted by <c>POST /ingest/{format}</c> (HEC events keep the format of what they carry).</summary>
public static class AlertFormats
{
    public const string Generic = "generic";
    public const string Splunk = "splunk";
    public const string Elastic = "elastic";
    public const string Wazuh = "wazuh";
    public const string Alertmanager = "alertmanager";
    public const string Cef = "cef";
    public const string Sentinel = "sentinel";
    public const string QRadar = "qradar";
    public const string Rfc5424 = "rfc5424";
    public const string Rfc3164 = "rfc3164";
    public const string Broker = "broker";

    /// <summary>Formats a client may force on the webhook.</summary>
    public static readonly IReadOnlyList<string> Webhook = [Generic, Splunk, Elastic, Wazuh, Alertmanager, Sentinel, QRadar, Cef];

    public static readonly IReadOnlyList<string> All = [Generic, Splunk, Elastic, Wazuh, Alertmanager, Sentinel, QRadar, Cef, Rfc5424, Rfc3164, Broker];
}
