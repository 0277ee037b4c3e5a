using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SiemAi.Sandbox.Tests;

public sealed class When_the_sandbox_is_configured
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSandbox();
        return builder.Build();
    }

    [Fact]
    public async Task Refuses_to_start_when_bwrap_is_missing_and_names_the_setting()
    {
        using var host = Build(new() { ["Sandbox:BwrapPath"] = "/nonexistent/bwrap" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Sandbox:BwrapPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/bwrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("bubblewrap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_start_when_bwrap_cannot_build_the_sandbox()
    {
        // A program at the path that is not bwrap: found, but the probe fails.
        using var host = Build(new() { ["Sandbox:BwrapPath"] = "/bin/false" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Sandbox:BwrapPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot create the sandbox", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_with_the_installed_bwrap_and_hands_out_a_working_sandbox()
    {
        using var host = Build([]);

        await host.StartAsync();
        var sandbox = host.Services.GetRequiredService<BubblewrapSandbox>();
        await host.StopAsync();

        Assert.True(sandbox.Enabled);
        Assert.NotNull(sandbox.BwrapProgram);
        Assert.Null(sandbox.Probe());
    }

    [Fact]
    public async Task Starts_without_bwrap_when_the_sandbox_is_turned_off()
    {
        using var host = Build(new() { ["Sandbox:Enabled"] = "false", ["Sandbox:BwrapPath"] = "/nonexistent/bwrap" });

        await host.StartAsync();
        await host.StopAsync();

        Assert.False(host.Services.GetRequiredService<BubblewrapSandbox>().Enabled);
    }

    [Fact]
    public void Never_falls_back_to_running_unconfined_when_bwrap_is_missing()
    {
        var sandbox = new BubblewrapSandbox(new SandboxOptions { BwrapPath = "/nonexistent/bwrap" });

        var error = Assert.Throws<SandboxUnavailableException>(() => sandbox.Wrap("/usr/bin/true", [], new SandboxSpec { WorkDirectory = "/tmp" }));
        Assert.Contains("Sandbox:BwrapPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_relative_system_paths()
    {
        var result = new SandboxOptionsValidator().Validate(null, new SandboxOptions { SystemPaths = ["usr"] });

        Assert.True(result.Failed);
        Assert.Contains("Sandbox:SystemPaths", result.FailureMessage, StringComparison.Ordinal);
    }
}
