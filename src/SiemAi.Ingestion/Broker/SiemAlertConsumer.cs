using FluentValidation;
using FluentValidation.Results;
using MassTransit;
using Microsoft.Extensions.Logging;
using SiemAi.Contracts;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Validation;

namespace SiemAi.Ingestion.Broker;

/// <summary>
/// SIEM producers' <see cref="SiemAlert"/>: validated like every other path, then assigned and published as
/// <see cref="AlertReceived"/> before the message is acknowledged. An invalid message throws a
/// <see cref="ValidationException"/> (never retried, see <see cref="SiemAlertConsumerDefinition"/>), so MassTransit
/// moves it to the <c>_error</c> queue with the reasons in its fault headers.
/// </summary>
public sealed class SiemAlertConsumer(AlertIngestor ingestor, ILogger<SiemAlertConsumer> logger) : IConsumer<SiemAlert>
{
    private static readonly SiemAlertValidator ContractValidator = new();

    public async Task Consume(ConsumeContext<SiemAlert> context)
    {
        var message = context.Message;
        var contractResult = ContractValidator.Validate(message);
        if (!contractResult.IsValid)
        {
            Reject(message, contractResult.Errors);
        }

        var raw = context.ReceiveContext.Body.GetString();
        var alert = ingestor.WithFingerprint(SiemAlertMapper.Map(message, raw, DateTimeOffset.UtcNow));
        var result = ingestor.Validate(alert);
        if (!result.IsValid)
        {
            Reject(message, result.Errors);
        }

        var accepted = await ingestor.AssignAndPublishAsync(alert, context, context.CancellationToken);
        logger.LogDebug("SiemAlert {AlertId} from {Source} assigned to incident {IncidentId}", message.AlertId, message.Source, accepted.IncidentId);
    }

    private void Reject(SiemAlert message, IEnumerable<ValidationFailure> errors)
    {
        var failures = errors.ToList();
        logger.LogWarning("SiemAlert {AlertId} from {Source} rejected: {Errors}", message.AlertId, message.Source,
            string.Join("; ", failures.Select(f => $"{f.PropertyName}: {f.ErrorMessage}")));
        throw new ValidationException($"SiemAlert {message.AlertId} is invalid: " + string.Join("; ", failures.Select(f => $"{f.PropertyName}: {f.ErrorMessage}")), failures);
    }
}
