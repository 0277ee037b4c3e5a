using FluentValidation;
using ValidationResult = FluentValidation.Results.ValidationResult;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Incidents;

namespace SiemAi.Ingestion;

/// <summary>
/// The one path every alert takes once it is in our shape (webhook, syslog, broker): fingerprint, validate,
/// assign the incident, publish <see cref="AlertReceived"/> and wait for the broker's confirm.
/// </summary>
public sealed class AlertIngestor(
    AlertFingerprinter fingerprinter,
    IValidator<NormalizedAlert> validator,
    IncidentAssigner assigner,
    IOptionsMonitor<IngestionOptions> options,
    IngestionMetrics metrics,
    ILogger<AlertIngestor> logger)
{
    public NormalizedAlert WithFingerprint(NormalizedAlert alert) => alert with { Fingerprint = fingerprinter.Compute(alert) };

    public ValidationResult Validate(NormalizedAlert alert) => validator.Validate(alert);

    /// <summary>The field the saga reads as "who raised this" (never an approver of it).</summary>
    public const string SubmittedByField = "submitted_by";

    /// <summary>
    /// Records who submitted the alert: the authenticated ingest key's name, or nobody (the incident is then
    /// raised by its source system). A payload's own <c>submitted_by</c> is never trusted: it could name an
    /// approver to stop them approving, or hide the real submitter.
    /// </summary>
    public static NormalizedAlert SubmittedBy(NormalizedAlert alert, string? submitter)
    {
        var fields = new Dictionary<string, string>(alert.Fields, StringComparer.Ordinal);
        fields.Remove(SubmittedByField);
        if (submitter is not null)
        {
            fields[SubmittedByField] = submitter;
        }

        return alert with { Fields = fields };
    }

    /// <summary>
    /// Assigns and publishes. Returns only after RabbitMQ confirmed the publish; throws when it could not
    /// within <see cref="IngestionOptions.PublishTimeout"/> (the caller must then not acknowledge).
    /// </summary>
    public async Task<AcceptedAlert> AssignAndPublishAsync(NormalizedAlert alert, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CurrentValue.PublishTimeout);
        var assignment = await assigner.AssignAsync(alert.AlertId, alert.Fingerprint, alert.ReceivedAt, timeout.Token);
        // The message id follows from the alert id: a re-sent or redelivered alert is republished (it may
        // never have left before) under the same id, and the saga's inbox records it once.
        var messageId = MessageIds.Derive(alert.AlertId, nameof(AlertReceived));
        await publisher.Publish(new AlertReceived { IncidentId = assignment.IncidentId, Timestamp = alert.ReceivedAt, Alert = alert },
            Pipe.Execute<PublishContext<AlertReceived>>(p => p.MessageId = messageId), timeout.Token)
            // The transport does not hand the caller's token to a pending confirm, which can stay pending
            // forever on a channel the broker closed: the bound must hold for the wait itself.
            .WaitAsync(timeout.Token);
        metrics.AlertAccepted(alert.Format);
        if (assignment.OpenedIncident)
        {
            logger.LogInformation("Alert {AlertId} ({Format}) opened incident {IncidentId}", alert.AlertId, alert.Format, assignment.IncidentId);
        }

        return new AcceptedAlert(alert.AlertId, alert.Format, alert.Fingerprint, assignment.IncidentId, assignment.OpenedIncident, assignment.DuplicateAlert);
    }
}
