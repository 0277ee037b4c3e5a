using System.Diagnostics.Metrics;

namespace SiemAi.Ingestion;

/// <summary>Ingestion's counters on meter <c>SiemAi.Ingestion</c> (exported by the host's OpenTelemetry/Prometheus setup).</summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "SiemAi.Ingestion";

    private readonly Counter<long> syslogRejected;
    private readonly Counter<long> syslogReceived;
    private readonly Counter<long> alertsAccepted;
    private readonly Counter<long> webhookRejected;

    public IngestionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        syslogRejected = meter.CreateCounter<long>("siemai_syslog_rejected_total", description: "Syslog messages dropped, by reason.");
        syslogReceived = meter.CreateCounter<long>("siemai_syslog_received_total", description: "Syslog messages read off the wire, by transport.");
        alertsAccepted = meter.CreateCounter<long>("siemai_ingest_alerts_accepted_total", description: "Alerts assigned and confirmed by the broker, by format.");
        webhookRejected = meter.CreateCounter<long>("siemai_webhook_rejected_total", description: "Webhook requests answered with an error, by status.");
    }

    public void SyslogRejected(string reason, string transport) =>
        syslogRejected.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("transport", transport));

    public void SyslogReceived(string transport) => syslogReceived.Add(1, new KeyValuePair<string, object?>("transport", transport));

    public void AlertAccepted(string format) => alertsAccepted.Add(1, new KeyValuePair<string, object?>("format", format));

    public void WebhookRejected(int status) => webhookRejected.Add(1, new KeyValuePair<string, object?>("status", status));
}
