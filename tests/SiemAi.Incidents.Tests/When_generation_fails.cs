using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public sealed class When_generation_fails
{
    private static PlaybookGenerationFailed Failure(IncidentSpec spec, bool retryable = true) => new()
    {
        IncidentId = spec.IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        Reason = "the model endpoint answered 503",
        Attempt = spec.State.GenerationAttempt,
        Retryable = retryable,
    };

    [Fact]
    public async Task Waits_for_a_retry_timer_before_asking_again()
    {
        await using var spec = await IncidentSpec.Start(o => o.RetryBackoff = TimeSpan.FromSeconds(10));
        await spec.RaiseAlert();
        var before = DateTimeOffset.UtcNow;

        await spec.Deliver(Failure(spec));

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        var failed = IncidentSpec.Data(spec.LastEvent("playbook_generation_failed"));
        Assert.Equal("the model endpoint answered 503", failed.GetProperty("reason").GetString());
        Assert.Equal(1, failed.GetProperty("attempt").GetInt32());
        var retry = Assert.Single(spec.LiveTimers(TimerKinds.RetryGeneration));
        Assert.InRange(retry.DueAt, before.AddSeconds(10), DateTimeOffset.UtcNow.AddSeconds(10));
        Assert.Empty(spec.LiveTimers(TimerKinds.GenerationTimeout));
        Assert.Single(spec.Published<GeneratePlaybook>());

        await spec.FireTimer(TimerKinds.RetryGeneration);

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        Assert.Equal([1, 2], spec.Published<GeneratePlaybook>().Select(x => x.Attempt));
        Assert.Single(spec.LiveTimers(TimerKinds.GenerationTimeout));
        spec.AssertNoFaults();
    }

    [Fact]
    public async Task Fails_the_incident_after_the_last_attempt()
    {
        await using var spec = await IncidentSpec.Start(o => o.MaxGenerationAttempts = 3);
        await spec.RaiseAlert();

        for (var attempt = 1; attempt < 3; attempt++)
        {
            await spec.Deliver(Failure(spec));
            await spec.FireTimer(TimerKinds.RetryGeneration);
        }

        await spec.Deliver(Failure(spec));

        Assert.Equal(nameof(IncidentStateMachine.Failed), spec.CurrentState);
        Assert.Equal([1, 2, 3], spec.Published<GeneratePlaybook>().Select(x => x.Attempt));
        Assert.Equal(3, spec.Events("playbook_generation_failed").Count);
        var closed = IncidentSpec.Data(spec.LastEvent("incident_closed"));
        Assert.Equal("failed", closed.GetProperty("outcome").GetString());
        Assert.Contains("after 3 attempt(s)", closed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var last = spec.StatusChanges[^1];
        Assert.Equal(("Generating", "Failed"), (last.From, last.To));
        Assert.Contains("generation failed", last.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_at_once_when_trying_again_cannot_help()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();

        await spec.Deliver(Failure(spec, retryable: false));

        Assert.Equal(nameof(IncidentStateMachine.Failed), spec.CurrentState);
        Assert.Single(spec.Published<GeneratePlaybook>());
        Assert.Empty(spec.LiveTimers(TimerKinds.RetryGeneration));
        Assert.False(IncidentSpec.Data(spec.LastEvent("playbook_generation_failed")).GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task Asks_again_when_the_generator_does_not_answer_in_time()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();

        await spec.FireTimer(TimerKinds.GenerationTimeout);

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        Assert.Equal([1, 2], spec.Published<GeneratePlaybook>().Select(x => x.Attempt));
        Assert.Equal("generation timed out", IncidentSpec.Data(spec.LastEvent("playbook_generation_failed")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Fails_when_the_last_attempt_times_out()
    {
        await using var spec = await IncidentSpec.Start(o => o.MaxGenerationAttempts = 2);
        await spec.RaiseAlert();

        await spec.FireTimer(TimerKinds.GenerationTimeout);
        await spec.FireTimer(TimerKinds.GenerationTimeout);

        Assert.Equal(nameof(IncidentStateMachine.Failed), spec.CurrentState);
        Assert.Equal(2, spec.Published<GeneratePlaybook>().Count);
        Assert.Equal("generation timed out", IncidentSpec.Data(spec.LastEvent("incident_closed")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Ignores_a_failure_report_for_an_earlier_attempt()
    {
        await using var spec = await IncidentSpec.Start();
        await spec.RaiseAlert();
        await spec.FireTimer(TimerKinds.GenerationTimeout);
        var failuresBefore = spec.Events("playbook_generation_failed").Count;

        await spec.Deliver(Failure(spec, retryable: false) with { Attempt = 1 });

        Assert.Equal(nameof(IncidentStateMachine.Generating), spec.CurrentState);
        Assert.Equal(failuresBefore, spec.Events("playbook_generation_failed").Count);
        Assert.Empty(spec.Events("incident_closed"));
        spec.AssertNoFaults();
    }
}
