using SiemAi.Testing;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_a_playbook_hangs(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Kills_the_whole_process_tree_at_the_timeout_and_reports_why()
    {
        // Unique sleep lengths mark this test's processes in the process table.
        var hanging = $"sleep {Random.Shared.Next(700_000, 800_000)}";
        var detached = $"sleep {Random.Shared.Next(800_000, 900_000)}";
        var yaml = $"""
            - hosts: lab
              gather_facts: false
              tasks:
                - name: Leave a process behind that is no longer in ansible's tree
                  ansible.builtin.shell: "nohup {detached} >/dev/null 2>&1 &"
                  check_mode: false
                - name: Hang
                  ansible.builtin.shell: "{hanging}"
                  check_mode: false
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = sandbox.Runner(db, o => o.TimeoutSeconds = 25);

        var run = runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));
        var sawHang = false;
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while (!run.IsCompleted && !guard.IsCancellationRequested)
            {
                sawHang |= (await Processes.MatchingAsync(hanging)).Count > 0;
                await Task.Delay(200);
            }
        }

        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(sawHang, "the hanging task never started, so the kill was not exercised");
        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.Contains("exceeded the 25 s timeout", failed.Reason);
        Assert.False(failed.Refused);
        Assert.False(failed.Retryable);
        Assert.True(outcome.AnsibleStarted);
        Assert.Empty(await Processes.MatchingAsync(hanging));
        Assert.Empty(await Processes.MatchingAsync(detached));
        Assert.Empty(await Processes.MatchingAsync(outcome.WorkDirectory!));
    }

    public void Dispose() => sandbox.Dispose();
}
