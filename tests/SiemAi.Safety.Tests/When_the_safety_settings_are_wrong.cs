using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SiemAi.Safety.Tests;

public sealed class When_the_safety_settings_are_wrong
{
    [Fact]
    public async Task Refuses_to_start_and_names_the_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Safety:MaxTasks"] = "0",
            ["Safety:AllowedEgressHosts:0"] = "https://edr.soc.example/api",
            ["Safety:ProtectedNetworks:0"] = "10.20.0.0/40",
            ["Safety:MaxBlockPrefixV4"] = "0",
            ["Safety:AllowedCommands:0"] = "* -rf {path}",
            ["Safety:InventoryPath"] = "/nonexistent/inventory.ini",
        });
        builder.AddSafety();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Safety:MaxTasks", error.Message, StringComparison.Ordinal);
        Assert.Contains("Safety:AllowedEgressHosts", error.Message, StringComparison.Ordinal);
        Assert.Contains("Safety:ProtectedNetworks", error.Message, StringComparison.Ordinal);
        Assert.Contains("Safety:MaxBlockPrefixV4", error.Message, StringComparison.Ordinal);
        Assert.Contains("Safety:AllowedCommands", error.Message, StringComparison.Ordinal);
        Assert.Contains("Safety:InventoryPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adds_configured_modules_to_the_defaults()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Safety:Modules:pagerduty:Risk"] = "Low",
            ["Safety:Modules:cron:Enabled"] = "false",
            ["Safety:SyntaxCheck"] = "false",
        });
        builder.AddSafety();
        using var host = builder.Build();

        var gate = (PlaybookSafetyGate)host.Services.GetService(typeof(PlaybookSafetyGate))!;
        var report = gate.Check("""
            - hosts: web01
              tasks:
                - ansible.builtin.cron:
                    name: beacon
                    state: absent
                - ansible.builtin.file:
                    path: /tmp/x
                    state: absent
            """);

        Assert.Equal(SiemAi.Safety.SafetyRules.ModuleNotAllowed, Assert.Single(report.Findings).Rule);
        Assert.False(gate.SyntaxCheckEnabled);
    }
}
