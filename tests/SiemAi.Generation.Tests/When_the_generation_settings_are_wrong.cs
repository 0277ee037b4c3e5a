using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SiemAi.Generation.Tests;

public sealed class When_the_generation_settings_are_wrong
{
    [Fact]
    public async Task Refuses_to_start_in_remote_mode_without_an_endpoint_naming_the_setting()
    {
        using var host = GenerationHost.Build(new Dictionary<string, string?> { ["MODEL_MODE"] = "remote", ["LLM_API_KEY"] = "secret-key-xyz" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("LLM_ENDPOINT", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-xyz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_start_with_an_unknown_model_mode()
    {
        using var host = GenerationHost.Build(new Dictionary<string, string?> { ["MODEL_MODE"] = "cloud" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MODEL_MODE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_start_when_the_templates_directory_is_missing()
    {
        using var host = GenerationHost.Build(new Dictionary<string, string?> { ["Generation:TemplatesPath"] = "/nonexistent/templates" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Generation:TemplatesPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_in_local_mode_by_default_and_reads_the_environment_names()
    {
        using (var local = GenerationHost.Build())
        {
            await local.StartAsync();
            Assert.IsType<TemplatePlaybookGenerator>(local.Services.GetRequiredService<IPlaybookGenerator>());
            await local.StopAsync();
        }

        using var remote = GenerationHost.Build(new Dictionary<string, string?>
        {
            ["MODEL_MODE"] = "Remote",
            ["LLM_ENDPOINT"] = "http://127.0.0.1:9/v1/chat/completions",
            ["LLM_API_KEY"] = "k1",
            ["Generation:LlmModel"] = "from-section",
        });
        await remote.StartAsync();
        var options = remote.Services.GetRequiredService<IOptions<GenerationOptions>>().Value;
        Assert.Equal(ModelMode.Remote, options.ModelMode);
        Assert.Equal(new Uri("http://127.0.0.1:9/v1/chat/completions"), options.LlmEndpoint);
        Assert.Equal("k1", options.LlmApiKey);
        Assert.Equal("from-section", options.LlmModel);
        await remote.StopAsync();
    }
}
