using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;

namespace SiemAi.Runner;

/// <summary>
/// Answers every RunPlaybook with PlaybookRunCompleted or PlaybookRunFailed (refusals included), so the
/// saga always learns the outcome; only a shutdown mid-run throws, and the command is then redelivered.
/// Each RunId runs at most once (<see cref="RunLedger"/>): a command seen again gets the stored answer,
/// with the same message id, and a run whose runner vanished mid-way is reported failed, never repeated.
/// </summary>
public sealed class RunPlaybookConsumer(AnsibleRunner runner, RunLedger ledger, IOptions<RunnerOptions> options, TimeProvider clock, ILogger<RunPlaybookConsumer> logger)
    : IConsumer<RunPlaybook>
{
    /// <summary>How long past the run timeout a claim without an answer is taken as abandoned.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public async Task Consume(ConsumeContext<RunPlaybook> context)
    {
        var command = context.Message;
        var claim = await ledger.ClaimAsync(command, context.CancellationToken);
        switch (claim.State)
        {
            case RunClaimState.Finished:
                logger.LogInformation("Run {RunId} of incident {IncidentId} was answered before; publishing the same answer again, not running again", command.RunId, command.IncidentId);
                await PublishAsync(context, claim.Answer!, claim.AnswerMessageId!.Value);
                return;

            case RunClaimState.InProgress when context.ReceiveContext.Redelivered || clock.GetUtcNow() - claim.ClaimedAt > TimeSpan.FromSeconds(options.Value.TimeoutSeconds) + Grace:
                // The broker only redelivers once the consumer that held the command is gone (crash, lost connection);
                // whatever ansible did then is unknown, so say so instead of running the playbook a second time.
                var lost = new PlaybookRunFailed
                {
                    IncidentId = command.IncidentId,
                    Timestamp = clock.GetUtcNow(),
                    RunId = command.RunId,
                    Mode = command.Mode,
                    Reason = $"the runner that started this run ({claim.ClaimedBy}, at {claim.ClaimedAt:O}) stopped before reporting; the run is not repeated under the same id",
                    Retryable = command.Mode == RunMode.Check,
                };
                logger.LogWarning("Run {RunId} of incident {IncidentId} was claimed by {ClaimedBy} and never answered; reporting it failed", command.RunId, command.IncidentId, claim.ClaimedBy);
                await FinishAndPublishAsync(context, lost);
                return;

            case RunClaimState.InProgress:
                logger.LogInformation("Run {RunId} of incident {IncidentId} is running under {ClaimedBy}; this duplicate is acknowledged without a second run", command.RunId, command.IncidentId, claim.ClaimedBy);
                return;
        }

        var outcome = await runner.RunAsync(command, context.CancellationToken);
        if (outcome.Failed is { } failed)
        {
            logger.LogInformation("Run {RunId} of incident {IncidentId} failed (refused {Refused}, retryable {Retryable})", failed.RunId, failed.IncidentId, failed.Refused, failed.Retryable);
        }

        await FinishAndPublishAsync(context, outcome.Message);
    }

    private async Task FinishAndPublishAsync(ConsumeContext<RunPlaybook> context, object answer)
    {
        var messageId = MessageIds.Derive(context.MessageId ?? context.Message.RunId, answer.GetType().Name);
        await ledger.FinishAsync(context.Message.RunId, answer, messageId, context.CancellationToken);
        await PublishAsync(context, answer, messageId);
    }

    private static Task PublishAsync(ConsumeContext context, object answer, Guid messageId) => answer switch
    {
        PlaybookRunCompleted completed => context.Publish(completed, p => p.MessageId = messageId, context.CancellationToken),
        PlaybookRunFailed failed => context.Publish(failed, p => p.MessageId = messageId, context.CancellationToken),
        _ => throw new InvalidOperationException($"not a run answer: {answer.GetType().Name}"),
    };
}
