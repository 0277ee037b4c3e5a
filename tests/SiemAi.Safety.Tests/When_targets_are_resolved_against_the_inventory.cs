using SiemAi.Contracts;

namespace SiemAi.Safety.Tests;

/// <summary>
/// Issue 16, class 6 with the runner's inventory configured: targets are resolved by the real <c>ansible-inventory --list</c>,
/// not compared as text. The inventory mirrors the lab's: a group holding localhost, an alias on a local connection, a real host.
/// </summary>
public sealed class When_targets_are_resolved_against_the_inventory : IDisposable
{
    private readonly string _inventory = Path.Combine(Path.GetTempPath(), $"siemai-inventory-{Guid.NewGuid():N}.ini");

    public When_targets_are_resolved_against_the_inventory() => File.WriteAllText(_inventory, """
        web01 ansible_host=192.0.2.10
        lab-target ansible_host=127.0.0.1 ansible_connection=local
        self-by-address ansible_host=127.0.0.2

        [lab]
        localhost ansible_connection=local
        """);

    public void Dispose() => File.Delete(_inventory);

    private SafetyReport Check(string hosts, string alertHost, params string[] labLocal)
    {
        var options = Corpus.Options();
        options.InventoryPath = _inventory;
        options.LabLocalHosts = labLocal;
        return new PlaybookSafetyGate(options).Check(
            $"- name: Remediation\n  hosts: \"{hosts}\"\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug:\n        msg: hi\n", [alertHost]);
    }

    [Theory]
    [InlineData("lab", "lab", SafetyRules.HostsTooBroad)]
    [InlineData("ungrouped", "ungrouped", SafetyRules.HostsTooBroad)]
    [InlineData("lab-target", "lab-target", SafetyRules.ControllerExecution)]
    [InlineData("self-by-address", "self-by-address", SafetyRules.ControllerExecution)]
    [InlineData("ghost", "ghost", SafetyRules.HostsNotAllowed)]
    public void Blocks_a_group_the_controller_or_an_unknown_host(string hosts, string alertHost, string rule)
    {
        var report = Check(hosts, alertHost);

        Assert.Equal(SafetyVerdict.Block, report.Verdict);
        Assert.Contains(report.Findings, f => f.Rule == rule && f.Path == "plays[0].hosts");
    }

    [Fact]
    public void Passes_a_single_remote_inventory_host_the_alert_names() =>
        Assert.Equal(SafetyVerdict.Pass, Check("web01", "web01").Verdict);

    [Fact]
    public void Passes_the_lab_alias_only_where_the_operator_names_it_a_lab_host()
    {
        Assert.Equal(SafetyVerdict.Pass, Check("lab-target", "lab-target", "lab-target").Verdict);
        // Naming the alias does not open the group or localhost.
        Assert.Contains(Check("lab", "lab", "lab-target").Findings, f => f.Rule == SafetyRules.HostsTooBroad);
    }

    [Fact]
    public void Blocks_every_target_when_the_inventory_cannot_be_read()
    {
        var options = Corpus.Options();
        options.InventoryPath = _inventory + ".missing";
        var report = new PlaybookSafetyGate(options).Check(
            "- name: R\n  hosts: web01\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug:\n        msg: hi\n", ["web01"]);

        Assert.Contains(report.Findings, f => f.Rule == SafetyRules.UnresolvedValue && f.Path == "plays[0].hosts");
    }
}
