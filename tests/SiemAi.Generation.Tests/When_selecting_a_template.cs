using Microsoft.Extensions.DependencyInjection;
using SiemAi.Contracts;
using SiemAi.Generation.Rendering;
using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation.Tests;

public sealed class When_selecting_a_template : IDisposable
{
    private readonly Microsoft.Extensions.Hosting.IHost _host = GenerationHost.Build();

    public void Dispose() => _host.Dispose();

    private GeneratedPlaybook Generate(NormalizedAlert alert) =>
        _host.Services.GetRequiredService<TemplatePlaybookGenerator>().Generate(new GeneratePlaybook { IncidentId = Guid.NewGuid(), Timestamp = DateTimeOffset.UtcNow, Alert = alert });

    [Fact]
    public void Trusts_a_known_rule_id_alone()
    {
        var playbook = Generate(Alerts.Base("Wazuh alert") with { RuleId = "5712", SourceIp = "203.0.113.8" });

        Assert.Equal("ssh-brute-force", playbook.Provenance.TemplateId);
        Assert.Equal(0.95, playbook.Provenance.Score);
    }

    [Fact]
    public void Uses_a_parent_technique_match_together_with_a_category()
    {
        var playbook = Generate(Alerts.Base("Odd logins") with { MitreTechniques = ["T1110.002"], Category = "credential-access", SourceIp = "203.0.113.9" });

        Assert.Equal("ssh-brute-force", playbook.Provenance.TemplateId);
        Assert.InRange(playbook.Provenance.Score!.Value, 0.5, 0.95);
    }

    [Fact]
    public void Produces_the_labelled_evidence_playbook_when_only_a_keyword_matches()
    {
        var playbook = Generate(Alerts.Base("ssh session opened") with { SourceIp = "203.0.113.10" });

        Assert.Equal("evidence-collection", playbook.Provenance.TemplateId);
        Assert.Contains("no template scored 0.50 or more (best: ssh-brute-force", Note(playbook), StringComparison.Ordinal);
    }

    [Fact]
    public void Produces_evidence_naming_the_field_when_the_matching_template_cannot_use_the_alert()
    {
        var playbook = Generate(Alerts.ByTemplate["compromised-account"] with { User = "root" });

        Assert.Equal("evidence-collection", playbook.Provenance.TemplateId);
        Assert.Contains("compromised-account", Note(playbook), StringComparison.Ordinal);
        Assert.Contains("User names a value this template refuses", Note(playbook), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_ip_that_is_not_a_plain_address()
    {
        foreach (var ip in new[] { "10.1", "127.0.0.1", "0.0.0.0", "203.0.113.8/0", "010.0.0.1", "203.0.113.8; reboot" })
        {
            var playbook = Generate(Alerts.ByTemplate["ssh-brute-force"] with { SourceIp = ip });

            Assert.Equal("evidence-collection", playbook.Provenance.TemplateId);
            Assert.Contains("SourceIp is not a valid IP address", Note(playbook), StringComparison.Ordinal);
        }
    }

    private static string Note(GeneratedPlaybook playbook)
    {
        var play = (YamlMappingNode)((YamlSequenceNode)PlaybookYaml.Parse(playbook.Yaml)).Children.Single();
        return ((YamlScalarNode)((YamlMappingNode)play["vars"])["siemai_selection_note"]).Value!;
    }
}
