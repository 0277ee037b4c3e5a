using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SiemAi.Contracts;
using SiemAi.Generation.Rendering;
using SiemAi.Generation.Templates;
using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation.Tests;

public sealed partial class When_templates_are_rendered : IDisposable
{
    private readonly Microsoft.Extensions.Hosting.IHost _host = GenerationHost.Build();

    private TemplatePlaybookGenerator Generator => _host.Services.GetRequiredService<TemplatePlaybookGenerator>();

    private TemplateLibrary Library => _host.Services.GetRequiredService<TemplateLibrary>();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Offers_at_least_twelve_remediation_scenarios_each_with_a_realistic_test_alert()
    {
        Assert.True(Library.Templates.Count >= 12, $"only {Library.Templates.Count} templates");
        Assert.Equal(Library.Templates.Select(t => t.Id).Order(), Alerts.ByTemplate.Keys.Order());
        Assert.All(Library.Templates, t =>
        {
            Assert.NotEmpty(t.Metadata.MitreTechniques);
            Assert.All(t.Metadata.MitreTechniques, m => Assert.Matches(@"^T\d{4}(\.\d{3})?$", m));
            Assert.NotEmpty(t.Metadata.Parameters);
            Assert.False(string.IsNullOrWhiteSpace(t.Metadata.Reversibility));
        });
    }

    [Theory]
    [MemberData(nameof(Alerts.TemplateIds), MemberType = typeof(Alerts))]
    public async Task Selects_the_scenario_and_renders_a_playbook_ansible_accepts(string templateId)
    {
        var alert = Alerts.ByTemplate[templateId];
        var incidentId = Guid.NewGuid();

        var playbook = Generator.Generate(new GeneratePlaybook { IncidentId = incidentId, Timestamp = DateTimeOffset.UtcNow, Alert = alert });

        Assert.Equal("template", playbook.Provenance.Generator);
        Assert.Equal(templateId, playbook.Provenance.TemplateId);
        Assert.Equal("1.0.0", playbook.Provenance.TemplateVersion);
        Assert.True(playbook.Provenance.Score >= 0.5);
        Assert.Equal(PlaybookHash.Of(playbook.Yaml), playbook.Sha256);

        var play = (YamlMappingNode)((YamlSequenceNode)PlaybookYaml.Parse(playbook.Yaml)).Children.Single();
        var hosts = (YamlScalarNode)play["hosts"];
        Assert.Equal(alert.Asset, hosts.Value);
        Assert.True(PlaybookYaml.IsLiteral(hosts));
        var vars = (YamlMappingNode)play["vars"];
        Assert.Equal(incidentId.ToString(), ((YamlScalarNode)vars["siemai_incident_id"]).Value);
        foreach (var (name, value) in playbook.Provenance.Parameters.Where(p => p.Key != "hosts"))
        {
            var node = (YamlScalarNode)vars[name];
            Assert.Equal(value, node.Value);
            Assert.True(PlaybookYaml.IsLiteral(node), $"{name} is not tagged !unsafe");
        }

        var file = await Ansible.WriteTempAsync(playbook.Yaml, $"{templateId}.yml");
        var check = await Ansible.PlaybookAsync("--syntax-check", "-i", alert.Asset + ",", file);
        Assert.True(check.ExitCode == 0, $"ansible-playbook --syntax-check failed for {templateId}:\n{check.Output}\n{playbook.Yaml}");
    }

    [Fact]
    public async Task Renders_the_evidence_playbook_when_nothing_matches_and_ansible_accepts_it()
    {
        var alert = Alerts.Base("Unusual printer spooler activity", asset: "print-03") with { User = "carol", Category = "anomaly" };

        var playbook = Generator.Generate(new GeneratePlaybook { IncidentId = Guid.NewGuid(), Timestamp = DateTimeOffset.UtcNow, Alert = alert });

        Assert.Equal(TemplateLibrary.EvidenceTemplateId, playbook.Provenance.TemplateId);
        Assert.Equal(RiskLevel.Low, playbook.DeclaredRisk);
        Assert.StartsWith("Evidence collection only", playbook.Title, StringComparison.Ordinal);
        var play = (YamlMappingNode)((YamlSequenceNode)PlaybookYaml.Parse(playbook.Yaml)).Children.Single();
        Assert.Contains("EVIDENCE COLLECTION ONLY", ((YamlScalarNode)play["name"]).Value, StringComparison.Ordinal);
        Assert.Equal("evidence-only", ((YamlScalarNode)((YamlMappingNode)play["vars"])["siemai_playbook_kind"]).Value);
        var modules = ((YamlSequenceNode)play["tasks"]).Children.Cast<YamlMappingNode>()
            .SelectMany(t => t.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!))
            .Where(k => k.Contains('.', StringComparison.Ordinal));
        Assert.All(modules, m => Assert.Contains(m, TemplateLibrary.ReadOnlyModules));

        var file = await Ansible.WriteTempAsync(playbook.Yaml, "evidence.yml");
        var check = await Ansible.PlaybookAsync("--syntax-check", "-i", "print-03,", file);
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [Fact]
    public void Refers_in_every_template_only_to_variables_it_declares_or_registers()
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "siemai_incident_id", "siemai_template", "siemai_template_version", "siemai_playbook_kind", "siemai_selection_note", "ansible_facts", "ansible_check_mode",
        };
        foreach (var template in Library.Templates.Append(Library.Evidence))
        {
            var text = File.ReadAllText(Path.Combine(template.Directory, "playbook.yml"));
            var declared = new HashSet<string>(known, StringComparer.Ordinal);
            declared.UnionWith(template.Metadata.Parameters.Select(p => p.Name));
            declared.UnionWith(RegisterRegex().Matches(text).Select(m => m.Groups[1].Value));
            var used = ExpressionRegex().Matches(text).SelectMany(m => IdentifierRegex().Matches(m.Groups[1].Value).Select(i => i.Value))
                .Where(id => !JinjaWords.Contains(id))
                .ToHashSet(StringComparer.Ordinal);
            used.UnionWith(WhenRegex().Matches(text).SelectMany(m => IdentifierRegex().Matches(m.Groups[1].Value).Select(i => i.Value)).Where(id => !JinjaWords.Contains(id)));
            Assert.All(used, id => Assert.True(declared.Contains(id), $"{template.Id} uses undeclared variable '{id}'"));
        }
    }

    [Fact]
    public void Refuses_an_alert_without_an_asset_and_never_targets_all()
    {
        var noAsset = Alerts.ByTemplate["ssh-brute-force"] with { Asset = null };
        var all = Alerts.ByTemplate["ssh-brute-force"] with { Asset = "all" };
        var pattern = Alerts.ByTemplate["ssh-brute-force"] with { Asset = "web*:&prod" };

        foreach (var alert in new[] { noAsset, all, pattern })
        {
            var ex = Assert.Throws<PlaybookGenerationException>(() => Generator.Generate(new GeneratePlaybook { IncidentId = Guid.NewGuid(), Timestamp = DateTimeOffset.UtcNow, Alert = alert }));
            Assert.False(ex.Retryable);
            Assert.Contains("Asset", ex.Message, StringComparison.Ordinal);
        }
    }

    private static readonly HashSet<string> JinjaWords = new(StringComparer.Ordinal)
    {
        "if", "else", "first", "in", "is", "not", "and", "or", "none", "defined", "default", "int", "list", "map", "attribute",
        "basename", "regex_escape", "stat", "exists", "isdir", "checksum", "path", "port", "files", "tcp_listen",
        "getent_passwd", "startswith", "ipv4", "ipv6", "unknown", "true", "false",
    };

    [GeneratedRegex(@"register:\s*([a-z_][a-z0-9_]*)")]
    private static partial Regex RegisterRegex();

    [GeneratedRegex(@"\{\{(.*?)\}\}")]
    private static partial Regex ExpressionRegex();

    [GeneratedRegex(@"when:\s*(.+)")]
    private static partial Regex WhenRegex();

    [GeneratedRegex(@"(?<![.'\w])[A-Za-z_][A-Za-z0-9_]*(?!['\w])")]
    private static partial Regex IdentifierRegex();
}
