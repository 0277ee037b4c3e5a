using MassTransit;
using Microsoft.Extensions.Logging;
using SiemAi.Contracts;

namespace SiemAi.Safety;

/// <summary>Answers <see cref="VerifyPlaybook"/> with a <see cref="PlaybookVerified"/> verdict on exactly the bytes it was given.</summary>
public sealed class VerifyPlaybookConsumer(PlaybookSafetyGate gate, TimeProvider clock, ILogger<VerifyPlaybookConsumer> logger) : IConsumer<VerifyPlaybook>
{
    public async Task Consume(ConsumeContext<VerifyPlaybook> context)
    {
        var message = context.Message;
        var actualHash = PlaybookHash.Of(message.PlaybookYaml);
        SafetyReport report;
        if (!string.Equals(actualHash, message.PlaybookSha256, StringComparison.Ordinal))
        {
            // The hash names what will be approved and run; a verdict on other bytes would vouch for text nobody checked.
            report = SafetyReport.From(
            [
                new SafetyFinding
                {
                    Rule = SafetyRules.HashMismatch,
                    Severity = FindingSeverity.Block,
                    Path = "$",
                    Message = $"The playbook's SHA-256 is {actualHash}, not the {message.PlaybookSha256} the request names.",
                },
            ], RiskLevel.Critical);
        }
        else
        {
            report = await gate.CheckAsync(message.PlaybookYaml, message.AllowedHosts, context.CancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Playbook {PlaybookSha256} for incident {IncidentId}: {Verdict}, risk {Risk}, {FindingCount} findings ({Rules})",
            message.PlaybookSha256, message.IncidentId, report.Verdict, report.Risk, report.Findings.Count,
            string.Join(",", report.Findings.Select(f => f.Rule).Distinct()));

        await context.Publish(new PlaybookVerified
        {
            IncidentId = message.IncidentId,
            Timestamp = clock.GetUtcNow(),
            PlaybookSha256 = message.PlaybookSha256,
            Verdict = report.Verdict,
            Risk = report.Risk,
            Findings = report.Findings,
        }, p => p.MessageId = MessageIds.Derive(context.MessageId ?? Guid.NewGuid(), nameof(PlaybookVerified)))
            .WaitAsync(PublishBound, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How long the verdict's publish may wait for RabbitMQ's confirm. A confirm pending on a channel the broker
    /// closed can stay pending forever, and the endpoint does not reconnect while this message is in hand; past
    /// the bound the consume fails, and the request (unacknowledged on the dead channel) is delivered again.
    /// </summary>
    public static TimeSpan PublishBound { get; set; } = TimeSpan.FromSeconds(30);
}
