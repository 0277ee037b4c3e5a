using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_a_playbook_is_generated
{
    [Fact]
    public async Task Moves_to_verifying_and_asks_the_safety_gate_about_the_same_bytes()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();

        await spec.Generate();

        Assert.Equal(nameof(IncidentStateMachine.Verifying), spec.CurrentState);
        var verify = Assert.Single(spec.Published<VerifyPlaybook>());
        Assert.Equal(spec.PlaybookSha256, verify.PlaybookSha256);
        Assert.Equal(spec.PlaybookYaml, verify.PlaybookYaml);
        Assert.Equal(PlaybookHash.Of(verify.PlaybookYaml), verify.PlaybookSha256);
        Assert.Equal(["web-01", "webservers"], verify.AllowedHosts);
        Assert.Equal(spec.PlaybookSha256, spec.State.PlaybookSha256);
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Records_the_playbook_with_its_hash_and_provenance()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();

        await spec.Generate();

        Assert.Equal(["alert_received", "playbook_generated"], spec.EventTypes);
        var generated = spec.LastEvent("playbook_generated");
        Assert.Equal(spec.PlaybookSha256, generated.PlaybookSha256);
        Assert.Equal("service:generator:template", generated.Actor);
        var data = IncidentSpec.Data(generated);
        Assert.Equal(spec.PlaybookYaml, data.GetProperty("playbook_yaml").GetString());
        Assert.Equal(1, data.GetProperty("attempt").GetInt32());
        Assert.Equal("medium", data.GetProperty("declared_risk").GetString());
        Assert.Equal("ssh-brute-force", data.GetProperty("provenance").GetProperty("template_id").GetString());
    }

    [Fact]
    public async Task Names_the_model_as_actor_of_an_llm_playbook()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();

        await spec.Deliver(spec.Generated() with { Provenance = new GeneratorProvenance { Generator = "llm", Model = "qwen2.5-coder" } });

        Assert.Equal("service:generator:llm:qwen2.5-coder", spec.LastEvent("playbook_generated").Actor);
    }

    [Fact]
    public async Task Replaces_the_generation_timeout_with_a_verification_timeout()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        var generationTimer = spec.State.StageTimerId;

        await spec.Generate();

        Assert.Empty(spec.LiveTimers(TimerKinds.GenerationTimeout));
        Assert.Contains(spec.State.PendingTimers, t => t.Cancel && t.TimerId == generationTimer);
        var verification = Assert.Single(spec.LiveTimers(TimerKinds.VerificationTimeout));
        Assert.Equal(spec.State.StageTimerId, verification.TimerId);
    }

    [Fact]
    public async Task Ignores_a_playbook_for_an_earlier_attempt_as_stale()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.Deliver(new PlaybookGenerationFailed { IncidentId = spec.IncidentId, Timestamp = DateTimeOffset.UtcNow, Reason = "model overloaded", Attempt = 1 });
        await spec.FireTimer(TimerKinds.RetryGeneration);
        Assert.Equal(2, spec.State.GenerationAttempt);

        await spec.Deliver(spec.Generated(attempt: 1));

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        Assert.Null(spec.State.PlaybookSha256);
        var stale = IncidentSpec.Data(spec.LastEvent("stale_message_ignored"));
        Assert.Equal("PlaybookGenerated", stale.GetProperty("message").GetString());
        Assert.Equal(1, stale.GetProperty("attempt").GetInt32());
        Assert.Empty(spec.Published<VerifyPlaybook>());
        spec.AssertNoFaults();
    }
}
