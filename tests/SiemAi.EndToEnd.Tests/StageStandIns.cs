using MassTransit;
using SiemAi.Contracts;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// Generation and safety played by the test (the saga tests are about the spine, not the stages):
/// each answers with a message id derived from the command's, as the real modules do.
/// </summary>
public sealed class GenerateStandIn : IConsumer<GeneratePlaybook>
{
    public const string Yaml = "- name: lab\n  hosts: lab-target\n  tasks:\n    - name: ping\n      ansible.builtin.ping:\n";

    public Task Consume(ConsumeContext<GeneratePlaybook> context) =>
        context.Publish(new PlaybookGenerated
        {
            IncidentId = context.Message.IncidentId,
            Timestamp = DateTimeOffset.UtcNow,
            PlaybookYaml = Yaml,
            PlaybookSha256 = PlaybookHash.Of(Yaml),
            Title = "lab ping",
            Attempt = context.Message.Attempt,
            Provenance = new GeneratorProvenance { Generator = "template", TemplateId = "test-stand-in", TemplateVersion = "1" },
        }, p => p.MessageId = MessageIds.Derive(context.MessageId!.Value, nameof(PlaybookGenerated)));
}

public sealed class VerifyStandIn : IConsumer<VerifyPlaybook>
{
    public Task Consume(ConsumeContext<VerifyPlaybook> context) =>
        context.Publish(new PlaybookVerified
        {
            IncidentId = context.Message.IncidentId,
            Timestamp = DateTimeOffset.UtcNow,
            PlaybookSha256 = context.Message.PlaybookSha256,
            Verdict = SafetyVerdict.Pass,
            Risk = RiskLevel.Low,
        }, p => p.MessageId = MessageIds.Derive(context.MessageId!.Value, nameof(PlaybookVerified)));
}
