using Microsoft.Extensions.DependencyInjection;
using SiemAi.Contracts;
using SiemAi.Generation.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation.Tests;

public sealed class When_alert_fields_carry_injection : IDisposable
{
    private const string Jinja = "{{ lookup('pipe', 'touch /tmp/siemai-pwned') }}";

    private static readonly string[] Fields =
    [
        "Title", "Description", "RuleId", "RuleName", "Category", "User", "SourceIp", "DestinationIp", "Process",
        "FilePath", "FileHash", "Fields.ssh_key", "Fields.unit", "Fields.service", "Fields.package", "Fields.domain",
    ];

    private readonly Microsoft.Extensions.Hosting.IHost _host = GenerationHost.Build();

    public void Dispose() => _host.Dispose();

    private TemplatePlaybookGenerator Generator => _host.Services.GetRequiredService<TemplatePlaybookGenerator>();

    public static IEnumerable<object[]> TemplatesAndFields() =>
        Alerts.ByTemplate.Keys.SelectMany(t => Fields.Select(f => new object[] { t, f }));

    [Theory]
    [MemberData(nameof(TemplatesAndFields))]
    public void Ends_a_template_expression_in_any_field_as_a_literal_or_refuses_the_alert(string templateId, string field)
    {
        var alert = With(Alerts.ByTemplate[templateId], field, Jinja);

        GeneratedPlaybook playbook;
        try
        {
            playbook = Generator.Generate(Request(alert));
        }
        catch (PlaybookGenerationException ex)
        {
            Assert.DoesNotContain("lookup", ex.Message, StringComparison.Ordinal);
            return;
        }

        var root = PlaybookYaml.Parse(playbook.Yaml);
        var carriers = PlaybookYaml.Scalars(root).Where(s => s.Value!.Contains("lookup(", StringComparison.Ordinal)).ToList();
        Assert.All(carriers, s => Assert.True(PlaybookYaml.IsLiteral(s), $"'{s.Value}' reached the playbook without !unsafe:\n{playbook.Yaml}"));
        Assert.All(playbook.Provenance.Parameters.Values, v => Assert.True(!v.Contains("{{", StringComparison.Ordinal) || carriers.Any(c => c.Value == v)));
    }

    [Fact]
    public void Refuses_the_asset_when_it_carries_a_template_expression()
    {
        var alert = Alerts.ByTemplate["ssh-brute-force"] with { Asset = Jinja };

        var ex = Assert.Throws<PlaybookGenerationException>(() => Generator.Generate(Request(alert)));

        Assert.False(ex.Retryable);
    }

    [Theory]
    [InlineData("alice\n- hosts: all\n  tasks: []")]
    [InlineData("x: y")]
    [InlineData("'; rm -rf / #")]
    [InlineData("!!python/object/apply:os.system ['id']")]
    [InlineData("*alias &anchor")]
    [InlineData("--- \n...\n")]
    [InlineData("$(id) `id` | && ; > /etc/passwd")]
    [InlineData("\"quoted\" \\ backslash \t tab")]
    [InlineData("{% for x in range(10) %}{{ x }}{% endfor %}{# c #}")]
    public void Keeps_yaml_and_shell_metacharacters_as_one_exact_literal(string hostile)
    {
        var alert = Alerts.Base("Odd activity " + hostile) with { User = hostile, Process = hostile, Description = hostile };

        var playbook = Generator.Generate(Request(alert));

        var plays = (YamlSequenceNode)PlaybookYaml.Parse(playbook.Yaml);
        var play = (YamlMappingNode)Assert.Single(plays.Children);
        Assert.Equal("web-01", ((YamlScalarNode)play["hosts"]).Value);
        var vars = (YamlMappingNode)play["vars"];
        var user = (YamlScalarNode)vars["alert_user"];
        Assert.Equal(hostile.Trim(), user.Value);
        Assert.True(PlaybookYaml.IsLiteral(user));
        Assert.True(PlaybookYaml.IsLiteral((YamlScalarNode)vars["alert_process"]));
        Assert.Equal(hostile.Trim(), ((YamlScalarNode)vars["alert_process"]).Value);
    }

    [Fact]
    public async Task Does_not_run_an_alert_supplied_lookup_when_ansible_runs_the_playbook_in_check_mode()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"siemai-pwned-{Guid.NewGuid():N}");
        var payload = $"{{{{ lookup('pipe', 'touch {marker}') }}}}";
        var alert = Alerts.Base("Odd activity " + payload, asset: "localhost") with
        {
            User = payload,
            Process = payload,
            Description = payload,
            FilePath = "/tmp/" + payload,
            RuleName = payload,
        };

        var playbook = Generator.Generate(Request(alert));
        var file = await Ansible.WriteTempAsync(playbook.Yaml, "hostile.yml");
        var run = await Ansible.PlaybookAsync("--check", "-i", "localhost,", "-e", "ansible_connection=local", file);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("lookup('pipe', 'touch " + marker, run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the alert's lookup was executed");

        // Control: the same playbook without the !unsafe tags does execute the lookup, so the check above can fail.
        var untagged = PlaybookYaml.Parse(playbook.Yaml);
        foreach (var scalar in PlaybookYaml.Scalars(untagged).Where(PlaybookYaml.IsLiteral))
        {
            scalar.Tag = TagName.Empty;
        }

        var controlFile = await Ansible.WriteTempAsync(PlaybookYaml.Emit(untagged), "control.yml");
        await Ansible.PlaybookAsync("--check", "-i", "localhost,", "-e", "ansible_connection=local", controlFile);
        Assert.True(File.Exists(marker), "control run did not execute the lookup; the test would prove nothing");
        File.Delete(marker);
    }

    private static GeneratePlaybook Request(NormalizedAlert alert) =>
        new() { IncidentId = Guid.NewGuid(), Timestamp = DateTimeOffset.UtcNow, Alert = alert };

    private static NormalizedAlert With(NormalizedAlert alert, string field, string value)
    {
        if (field.StartsWith("Fields.", StringComparison.Ordinal))
        {
            var fields = new Dictionary<string, string>(alert.Fields) { [field["Fields.".Length..]] = value };
            return alert with { Fields = fields };
        }

        return field switch
        {
            "Title" => alert with { Title = value },
            "Description" => alert with { Description = value },
            "RuleId" => alert with { RuleId = value },
            "RuleName" => alert with { RuleName = value },
            "Category" => alert with { Category = value },
            "User" => alert with { User = value },
            "SourceIp" => alert with { SourceIp = value },
            "DestinationIp" => alert with { DestinationIp = value },
            "Process" => alert with { Process = value },
            "FilePath" => alert with { FilePath = value },
            "FileHash" => alert with { FileHash = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
    }
}
