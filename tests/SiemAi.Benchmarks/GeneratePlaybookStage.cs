using MassTransit;
using SiemAi.Contracts;

namespace SiemAi.Benchmarks;

/// <summary>
/// Stands in for the generator: answers at once with a fixed playbook, so the saga and its
/// persistence are what the benchmark measures, not template rendering or an LLM.
/// </summary>
public sealed class GeneratePlaybookStage : IConsumer<GeneratePlaybook>
{
    public const string PlaybookYaml = """
        - name: Block the brute-force source on the affected host
          hosts: web-01
          gather_facts: false
          become: true
          tasks:
            - name: Drop traffic from 203.0.113.7
              ansible.builtin.iptables:
                chain: INPUT
                source: 203.0.113.7
                jump: DROP
        """;

    public static readonly string PlaybookSha256 = PlaybookHash.Of(PlaybookYaml);

    public Task Consume(ConsumeContext<GeneratePlaybook> context) => context.Publish(new PlaybookGenerated
    {
        IncidentId = context.Message.IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        PlaybookYaml = PlaybookYaml,
        PlaybookSha256 = PlaybookSha256,
        Title = "Block the brute-force source",
        DeclaredRisk = RiskLevel.Low,
        Provenance = new GeneratorProvenance { Generator = "template", TemplateId = "benchmark-block-ip", TemplateVersion = "1" },
        Attempt = context.Message.Attempt,
    });
}
