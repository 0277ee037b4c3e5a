using SiemAi.Testing;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_apply_mode_is_requested(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    private string File => Path.Combine(sandbox.Target, "motd");

    private string Yaml => $"""
        - hosts: lab
          gather_facts: false
          tasks:
            - name: Write the notice
              ansible.builtin.copy:
                dest: "{File}"
                content: "incident contained\n"
        """;

    [Fact]
    public async Task Refuses_when_the_runner_does_not_allow_apply_even_with_both_approvals()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(Yaml));
        await saga.ApprovedForApplyAsync(PlaybookHash.Of(Yaml));
        using var runner = sandbox.Runner(db, o => o.AllowApply = false);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, Yaml, RunMode.Apply));

        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.True(failed.Refused);
        Assert.Contains("RUNNER_ALLOW_APPLY", failed.Reason);
        Assert.False(outcome.AnsibleStarted);
        Assert.False(System.IO.File.Exists(File));
    }

    [Fact]
    public async Task Refuses_without_the_second_approval_when_enabled()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(Yaml));
        // One apply approver is not dual control.
        await saga.ApprovedAsync(PlaybookHash.Of(Yaml), "carol", 1, forApply: true);
        using var runner = sandbox.Runner(db, o => o.AllowApply = true);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, Yaml, RunMode.Apply));

        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.True(failed.Refused);
        Assert.Contains("for_apply", failed.Reason);
        Assert.False(outcome.AnsibleStarted);
        Assert.False(System.IO.File.Exists(File));
    }

    [Fact]
    public async Task Changes_the_system_after_a_check_run_and_the_second_approval_when_enabled()
    {
        var sha = PlaybookHash.Of(Yaml);
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(sha);
        using var runner = sandbox.Runner(db, o => o.AllowApply = true);

        var check = await runner.RunAsync(Sandbox.Command(saga.IncidentId, Yaml));
        Assert.True(check.Completed?.Succeeded);
        Assert.Equal(1, check.Completed!.Hosts.Single().Changed);
        Assert.False(System.IO.File.Exists(File));

        await saga.ApprovedForApplyAsync(sha);
        var apply = await runner.RunAsync(Sandbox.Command(saga.IncidentId, Yaml, RunMode.Apply));

        var completed = Assert.IsType<PlaybookRunCompleted>(apply.Message);
        Assert.True(completed.Succeeded);
        Assert.Equal(RunMode.Apply, completed.Mode);
        Assert.Equal(1, completed.Hosts.Single().Changed);
        Assert.Equal("incident contained\n", await System.IO.File.ReadAllTextAsync(File));
    }

    public void Dispose() => sandbox.Dispose();
}
