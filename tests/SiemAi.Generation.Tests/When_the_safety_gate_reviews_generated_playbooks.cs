using Microsoft.Extensions.DependencyInjection;
using SiemAi.Contracts;
using SiemAi.Safety;
using SiemAi.Testing;

namespace SiemAi.Generation.Tests;

public sealed class When_the_safety_gate_reviews_generated_playbooks : IDisposable
{
    private readonly Microsoft.Extensions.Hosting.IHost _host = GenerationHost.Build();
    private readonly PlaybookSafetyGate _gate = new(GateOptions());

    public void Dispose() => _host.Dispose();

    // getent and listen_ports_facts only read (passwd entries, listening sockets); the gate's default list
    // lacks them, so they are added here through its documented Modules setting until its defaults include them.
    private static SafetyOptions GateOptions()
    {
        var options = new SafetyOptions();
        options.Modules["getent"] = new ModulePolicy { Risk = RiskLevel.Low };
        options.Modules["listen_ports_facts"] = new ModulePolicy { Risk = RiskLevel.Low };
        return options;
    }

    public static IEnumerable<object[]> TemplatesAndEvidence() =>
        Alerts.TemplateIds().Append(["evidence"]);

    [Theory]
    [MemberData(nameof(TemplatesAndEvidence))]
    public void Does_not_block_any_template_rendering(string templateId)
    {
        var alert = templateId == "evidence"
            ? Alerts.Base("Unusual printer spooler activity") with { User = "carol", FilePath = "/var/spool/x", SourceIp = "10.1.2.3" }
            : Alerts.ByTemplate[templateId];
        var playbook = _host.Services.GetRequiredService<TemplatePlaybookGenerator>()
            .Generate(new GeneratePlaybook { IncidentId = Guid.NewGuid(), Timestamp = DateTimeOffset.UtcNow, Alert = alert });

        var report = _gate.Check(playbook.Yaml, [alert.Asset!]);

        Assert.True(report.Verdict != SafetyVerdict.Block, $"{templateId} blocked:\n" + string.Join('\n', report.Findings.Select(f => $"{f.Severity} {f.Rule} {f.Path}: {f.Message}")) + "\n" + playbook.Yaml);
    }

    [Fact]
    public async Task Blocks_the_dangerous_playbook_a_model_returned()
    {
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer("Here you go:\n" + LlmPlaybooks.Fenced(LlmPlaybooks.Dangerous)));
        using var host = When_the_llm_is_remote.RemoteHost(server);
        var alert = Alerts.ByTemplate["ssh-brute-force"];

        var playbook = await host.Services.GetRequiredService<IPlaybookGenerator>()
            .GenerateAsync(new GeneratePlaybook { IncidentId = Guid.NewGuid(), Timestamp = DateTimeOffset.UtcNow, Alert = alert }, CancellationToken.None);
        var report = _gate.Check(playbook.Yaml, [alert.Asset!]);

        Assert.Equal("llm", playbook.Provenance.Generator);
        Assert.Equal(SafetyVerdict.Block, report.Verdict);
        Assert.Contains(report.Findings, f => f.Severity == FindingSeverity.Block);
    }
}
