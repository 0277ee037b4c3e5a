using SiemAi.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SiemAi.Http;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_the_runner_is_configured(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Fails_at_start_naming_a_missing_inventory_and_a_zero_timeout()
    {
        var settings = RunnerHost.Settings(sandbox);
        settings["Runner:InventoryPath"] = "playbooks/inventories/no-such-inventory.ini";
        settings["Runner:TimeoutSeconds"] = "0";
        using var host = RunnerHost.Build(db, settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Runner:InventoryPath", error.Message);
        Assert.Contains("no-such-inventory.ini", error.Message);
        Assert.Contains("Runner:TimeoutSeconds", error.Message);
    }

    [Fact]
    public void Keeps_apply_off_by_default_and_takes_RUNNER_ALLOW_APPLY_from_the_environment()
    {
        using (var host = RunnerHost.Build(db, RunnerHost.Settings(sandbox)))
        {
            Assert.False(host.Services.GetRequiredService<IOptions<RunnerOptions>>().Value.AllowApply);
        }

        var settings = RunnerHost.Settings(sandbox);
        settings["RUNNER_ALLOW_APPLY"] = "true";
        settings["RUNNER_MAX_CONCURRENT_RUNS"] = "4";
        using var enabled = RunnerHost.Build(db, settings);
        var options = enabled.Services.GetRequiredService<IOptions<RunnerOptions>>().Value;
        Assert.True(options.AllowApply);
        Assert.Equal(4, options.MaxConcurrentRuns);
        Assert.Equal(Path.Combine(Sandbox.RepositoryRoot, "playbooks", "inventories", "lab.ini"), options.InventoryPath);
    }

    [Fact]
    public async Task Reads_on_as_true_and_refuses_an_unknown_spelling_of_RUNNER_ALLOW_APPLY_at_start()
    {
        var settings = RunnerHost.Settings(sandbox);
        settings["RUNNER_ALLOW_APPLY"] = "On";
        using (var on = RunnerHost.Build(db, settings))
        {
            Assert.True(on.Services.GetRequiredService<IOptions<RunnerOptions>>().Value.AllowApply);
        }

        settings["RUNNER_ALLOW_APPLY"] = "enabled";
        using var host = RunnerHost.Build(db, settings);

        var error = await Assert.ThrowsAsync<InvalidSettingException>(() => host.StartAsync());

        Assert.Equal("RUNNER_ALLOW_APPLY", error.Setting);
        Assert.Contains("RUNNER_ALLOW_APPLY='enabled' is not a boolean", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => sandbox.Dispose();
}
