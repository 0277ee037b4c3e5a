using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SiemAi.Contracts;
using SiemAi.Testing;

namespace SiemAi.Generation.Tests;

public sealed class When_the_bus_asks_for_a_playbook
{
    [Fact]
    public async Task Publishes_the_generated_playbook_with_its_hash_and_provenance()
    {
        using var host = GenerationHost.Build(extra: s => s.AddMassTransitTestHarness(x => x.AddGenerationConsumers()));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var incident = Guid.NewGuid();
            await harness.Bus.Publish(new GeneratePlaybook { IncidentId = incident, Timestamp = DateTimeOffset.UtcNow, Alert = Alerts.ByTemplate["malware-file"], Attempt = 2 });

            Assert.True(await harness.Published.Any<PlaybookGenerated>(x => x.Context.Message.IncidentId == incident));
            var generated = harness.Published.Select<PlaybookGenerated>(x => x.Context.Message.IncidentId == incident).Single().Context.Message;
            Assert.Equal(PlaybookHash.Of(generated.PlaybookYaml), generated.PlaybookSha256);
            Assert.Equal("template", generated.Provenance.Generator);
            Assert.Equal("malware-file", generated.Provenance.TemplateId);
            Assert.Equal("1.0.0", generated.Provenance.TemplateVersion);
            Assert.Equal("/tmp/.x/mirai.arm", generated.Provenance.Parameters["malware_path"]);
            Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", generated.Provenance.Parameters["malware_sha256"]);
            Assert.Equal(2, generated.Attempt);
            Assert.Equal(RiskLevel.Medium, generated.DeclaredRisk);
            Assert.False(await harness.Published.Any<PlaybookGenerationFailed>());
        }
        finally
        {
            await harness.Stop();
        }
    }

    [Fact]
    public async Task Publishes_a_non_retryable_failure_for_an_alert_without_an_asset()
    {
        using var host = GenerationHost.Build(extra: s => s.AddMassTransitTestHarness(x => x.AddGenerationConsumers()));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var incident = Guid.NewGuid();
            await harness.Bus.Publish(new GeneratePlaybook { IncidentId = incident, Timestamp = DateTimeOffset.UtcNow, Alert = Alerts.ByTemplate["port-scan"] with { Asset = null } });

            Assert.True(await harness.Published.Any<PlaybookGenerationFailed>(x => x.Context.Message.IncidentId == incident));
            var failed = harness.Published.Select<PlaybookGenerationFailed>().Single().Context.Message;
            Assert.False(failed.Retryable);
            Assert.Contains("Asset", failed.Reason, StringComparison.Ordinal);
            Assert.False(await harness.Published.Any<PlaybookGenerated>());
        }
        finally
        {
            await harness.Stop();
        }
    }

    [Fact]
    public async Task Publishes_the_fallback_reason_when_the_model_fails()
    {
        await using var server = new FakeLlmServer(_ => (500, "{}", TimeSpan.Zero));
        var settings = new Dictionary<string, string?>
        {
            ["MODEL_MODE"] = "remote",
            ["LLM_ENDPOINT"] = server.Endpoint.ToString(),
            ["LLM_API_KEY"] = "k",
            ["Generation:LlmMaxRetries"] = "1",
            ["Generation:LlmRetryBaseDelay"] = "00:00:00.020",
        };
        using var host = GenerationHost.Build(settings, s => s.AddMassTransitTestHarness(x => x.AddGenerationConsumers()));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var incident = Guid.NewGuid();
            await harness.Bus.Publish(new GeneratePlaybook { IncidentId = incident, Timestamp = DateTimeOffset.UtcNow, Alert = Alerts.ByTemplate["port-scan"] });

            Assert.True(await harness.Published.Any<PlaybookGenerated>(x => x.Context.Message.IncidentId == incident));
            var generated = harness.Published.Select<PlaybookGenerated>().Single().Context.Message;
            Assert.Equal("template", generated.Provenance.Generator);
            Assert.Equal("port-scan", generated.Provenance.TemplateId);
            Assert.Contains("500", generated.Provenance.FallbackReason, StringComparison.Ordinal);
            Assert.NotNull(generated.Provenance.PromptSha256);
        }
        finally
        {
            await harness.Stop();
        }
    }
}
