using MassTransit;
using SiemAi.Contracts;

namespace SiemAi.Benchmarks;

/// <summary>Stands in for the safety gate: every playbook passes at low risk, at once.</summary>
public sealed class VerifyPlaybookStage : IConsumer<VerifyPlaybook>
{
    public Task Consume(ConsumeContext<VerifyPlaybook> context) => context.Publish(new PlaybookVerified
    {
        IncidentId = context.Message.IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        PlaybookSha256 = context.Message.PlaybookSha256,
        Verdict = SafetyVerdict.Pass,
        Risk = RiskLevel.Low,
    });
}
