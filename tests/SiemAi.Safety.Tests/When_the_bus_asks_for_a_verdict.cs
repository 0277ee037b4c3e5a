using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SiemAi.Contracts;

namespace SiemAi.Safety.Tests;

public sealed class When_the_bus_asks_for_a_verdict : IAsyncLifetime
{
    private IHost _host = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Safety:SyntaxCheck"] = "true",
            ["Safety:AllowedEgressHosts:0"] = "edr.soc.example",
        });
        builder.AddSafety();
        builder.Services.AddMassTransitTestHarness(bus => bus.AddSafetyConsumers());
        _host = builder.Build();
        await _host.StartAsync();
        _harness = _host.Services.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromSeconds(60);
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Publishes_a_pass_for_a_benign_playbook_on_its_hosts()
    {
        var yaml = File.ReadAllText(Path.Combine(Corpus.Directory, "benign", "block-attacker-ip-iptables.yml"));
        var incident = Guid.NewGuid();

        await _harness.Bus.Publish(Request(incident, yaml, PlaybookHash.Of(yaml), ["web01"]));

        var verified = await Verdict(incident);
        Assert.Equal(SafetyVerdict.Pass, verified.Verdict);
        Assert.Equal(PlaybookHash.Of(yaml), verified.PlaybookSha256);
        Assert.Empty(verified.Findings);
        Assert.Equal(RiskLevel.Medium, verified.Risk);
    }

    [Fact]
    public async Task Blocks_a_playbook_aimed_at_a_host_outside_the_alert()
    {
        var yaml = File.ReadAllText(Path.Combine(Corpus.Directory, "benign", "block-attacker-ip-iptables.yml"));
        var incident = Guid.NewGuid();

        await _harness.Bus.Publish(Request(incident, yaml, PlaybookHash.Of(yaml), ["db01"]));

        var verified = await Verdict(incident);
        Assert.Equal(SafetyVerdict.Block, verified.Verdict);
        var finding = Assert.Single(verified.Findings);
        Assert.Equal(SafetyRules.HostsNotAllowed, finding.Rule);
        Assert.Equal(3, finding.Line);
    }

    [Fact]
    public async Task Blocks_bytes_whose_hash_differs_from_the_request()
    {
        var yaml = File.ReadAllText(Path.Combine(Corpus.Directory, "benign", "block-attacker-ip-iptables.yml"));
        var claimed = PlaybookHash.Of(yaml.Replace("203.0.113.45", "203.0.113.46", StringComparison.Ordinal));
        var incident = Guid.NewGuid();

        await _harness.Bus.Publish(Request(incident, yaml, claimed, []));

        var verified = await Verdict(incident);
        Assert.Equal(SafetyVerdict.Block, verified.Verdict);
        Assert.Equal(claimed, verified.PlaybookSha256);
        Assert.Equal(SafetyRules.HashMismatch, Assert.Single(verified.Findings).Rule);
    }

    [Fact]
    public async Task Blocks_when_ansible_playbook_disagrees_with_the_rules()
    {
        // A module the rules were configured to allow but that Ansible cannot resolve: rules pass, Ansible says no.
        const string Yaml = """
            - name: Isolate through a vendor module
              hosts: web01
              gather_facts: false
              tasks:
                - acme.edr.isolate_host:
                    host: web01
            """;
        var options = new SafetyOptions { SyntaxCheck = true };
        options.Modules["acme.edr.isolate_host"] = new ModulePolicy();
        var gate = new PlaybookSafetyGate(options);

        var rulesOnly = gate.Check(Yaml);
        var withAnsible = await gate.CheckAsync(Yaml, null, CancellationToken.None);

        Assert.Equal(SafetyVerdict.Pass, rulesOnly.Verdict);
        Assert.Equal(SafetyVerdict.Block, withAnsible.Verdict);
        var finding = Assert.Single(withAnsible.Findings);
        Assert.Equal(SafetyRules.SyntaxCheckFailed, finding.Rule);
        // Classified, never ansible's own words (they may carry what the playbook computed).
        Assert.Contains(SyntaxCheckReasons.UnknownModule, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("acme.edr.isolate_host", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocks_when_the_second_opinion_is_required_but_missing()
    {
        var gate = new PlaybookSafetyGate(new SafetyOptions { SyntaxCheck = true, AnsiblePlaybookPath = "/nonexistent/ansible-playbook" });
        var yaml = File.ReadAllText(Path.Combine(Corpus.Directory, "benign", "deny-ip-ufw.yml"));

        var report = await gate.CheckAsync(yaml, null, CancellationToken.None);

        Assert.Equal(SafetyVerdict.Block, report.Verdict);
        Assert.Equal(SafetyRules.SyntaxCheckUnavailable, Assert.Single(report.Findings).Rule);
    }

    private static VerifyPlaybook Request(Guid incident, string yaml, string sha256, string[] hosts) => new()
    {
        IncidentId = incident,
        Timestamp = DateTimeOffset.UtcNow,
        PlaybookYaml = yaml,
        PlaybookSha256 = sha256,
        AllowedHosts = hosts,
    };

    private async Task<PlaybookVerified> Verdict(Guid incident)
    {
        Assert.True(await _harness.Consumed.Any<VerifyPlaybook>(x => x.Context.Message.IncidentId == incident));
        var published = await _harness.Published.SelectAsync<PlaybookVerified>(x => x.Context.Message.IncidentId == incident).FirstOrDefault();
        Assert.NotNull(published);
        return published.Context.Message;
    }
}
