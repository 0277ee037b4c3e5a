using MassTransit;
using Microsoft.Extensions.Logging;
using SiemAi.Contracts;

namespace SiemAi.Runner;

/// <summary>
/// Answers every RunPlaybook with PlaybookRunCompleted or PlaybookRunFailed (refusals included), so the
/// saga always learns the outcome; only a shutdown mid-run throws, and the command is then redelivered.
/// </summary>
public sealed class RunPlaybookConsumer(AnsibleRunner runner, ILogger<RunPlaybookConsumer> logger) : IConsumer<RunPlaybook>
{
    public async Task Consume(ConsumeContext<RunPlaybook> context)
    {
        var outcome = await runner.RunAsync(context.Message, context.CancellationToken);
        if (outcome.Completed is { } completed)
        {
            await context.Publish(completed, p => p.MessageId = MessageIds.Derive(context.MessageId ?? Guid.NewGuid(), nameof(PlaybookRunCompleted)), context.CancellationToken);
        }
        else if (outcome.Failed is { } failed)
        {
            logger.LogInformation("Run {RunId} of incident {IncidentId} failed (refused {Refused}, retryable {Retryable})", failed.RunId, failed.IncidentId, failed.Refused, failed.Retryable);
            await context.Publish(failed, p => p.MessageId = MessageIds.Derive(context.MessageId ?? Guid.NewGuid(), nameof(PlaybookRunFailed)), context.CancellationToken);
        }
    }
}
