using System.Text.Json;

namespace SiemAi.Audit.Tests;

public sealed class When_an_auditor_replays_an_incident(RecordedIncidents recorded) : IClassFixture<RecordedIncidents>
{
    [Fact]
    public async Task Shows_the_playbook_under_verification_at_version_2()
    {
        var state = await Replay("--version", "2");

        Assert.Equal("Verifying", state.GetProperty("status").GetString());
        Assert.Equal(RecordedIncidents.PlaybookHash, state.GetProperty("playbook_sha256").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("verdict").ValueKind);
        Assert.Equal(2, state.GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public async Task Shows_the_verdict_and_no_approvals_while_awaiting_approval_at_version_4()
    {
        var state = await Replay("--version", "4");

        Assert.Equal("AwaitingApproval", state.GetProperty("status").GetString());
        Assert.Equal("warn", state.GetProperty("verdict").GetString());
        Assert.Equal("medium", state.GetProperty("risk").GetString());
        Assert.Equal(2, state.GetProperty("required_approvals").GetInt32());
        Assert.Equal(0, state.GetProperty("approvals").GetArrayLength());
    }

    [Fact]
    public async Task Shows_one_of_two_approvals_at_version_5_and_both_at_version_6()
    {
        var five = await Replay("--version", "5");
        var six = await Replay("--version", "6");

        Assert.Equal("AwaitingApproval", five.GetProperty("status").GetString());
        Assert.Equal(["alice"], five.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("approver").GetString()));
        Assert.Equal("Approved", six.GetProperty("status").GetString());
        Assert.Equal(["alice", "bob"], six.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("approver").GetString()));
    }

    [Fact]
    public async Task Shows_the_check_run_result_at_the_end_of_the_stream()
    {
        var state = await Replay();

        Assert.Equal("CheckSucceeded", state.GetProperty("status").GetString());
        Assert.Equal("check_succeeded", state.GetProperty("outcome").GetString());
        Assert.Equal(9, state.GetProperty("version").GetInt64());
        var run = Assert.Single(state.GetProperty("runs").EnumerateArray());
        Assert.Equal(recorded.RunId.ToString(), run.GetProperty("run_id").GetString());
        Assert.Equal("succeeded", run.GetProperty("result").GetString());
        Assert.Equal(0, run.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task Stops_at_the_last_event_recorded_by_the_given_time()
    {
        var third = recorded.ApprovedEvents.Single(e => e.Version == 3);

        var state = await Replay("--at", third.RecordedAt.ToString("O"));

        Assert.Equal(3, state.GetProperty("version").GetInt64());
        Assert.Equal("warn", state.GetProperty("verdict").GetString());
        Assert.Equal("Verifying", state.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Shows_a_blocked_incident_with_the_rejected_verdict()
    {
        var state = await Replay(recorded.Blocked);

        Assert.Equal("Blocked", state.GetProperty("status").GetString());
        Assert.Equal("block", state.GetProperty("verdict").GetString());
        Assert.Equal("critical", state.GetProperty("risk").GetString());
        Assert.Equal(RecordedIncidents.BlockedHash, state.GetProperty("playbook_sha256").GetString());
    }

    [Fact]
    public async Task Prints_a_readable_timeline_with_who_did_what()
    {
        var result = await CliProcess.RunAsync(recorded.Database, "audit", "replay", $"incident-{recorded.Approved:D}");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("status     CheckSucceeded", result.Output, StringComparison.Ordinal);
        Assert.Contains("approvals  2/2: alice, bob", result.Output, StringComparison.Ordinal);
        var timeline = result.Output.Split('\n').Where(l => l.StartsWith("  v", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, timeline.Count);
        Assert.Contains(timeline, l => l.Contains("playbook_approved", StringComparison.Ordinal) && l.Contains("approver:bob", StringComparison.Ordinal) && l.Contains("(2/2)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Answers_with_an_error_for_an_incident_without_events()
    {
        var result = await CliProcess.RunAsync(recorded.Database, "audit", "replay", Guid.NewGuid().ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no events for incident-", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_version_and_time_together()
    {
        var result = await CliProcess.RunAsync(recorded.Database, "audit", "replay", recorded.Approved.ToString(), "--version", "2", "--at", "2026-01-01T00:00:00Z");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not both", result.Error, StringComparison.Ordinal);
    }

    private Task<JsonElement> Replay(params string[] options) => Replay(recorded.Approved, options);

    private async Task<JsonElement> Replay(Guid incident, params string[] options)
    {
        var result = await CliProcess.RunAsync(recorded.Database, ["audit", "replay", incident.ToString(), "--json", .. options]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }
}
