using SiemAi.Testing;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_ansible_gives_no_usable_report(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Fails_with_ansibles_own_error_when_it_cannot_load_the_playbook()
    {
        const string yaml = """
            - hosts: lab
              gather_facts: false
              tasks:
                - siemai.nonexistent.module:
                    arg: 1
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = sandbox.Runner(db);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.False(failed.Refused);
        Assert.False(failed.Retryable);
        Assert.Contains("without a report", failed.Reason);
        Assert.Contains("siemai.nonexistent.module", failed.Reason);
        Assert.True(outcome.AnsibleStarted);
    }

    [Fact]
    public async Task Fails_naming_the_cap_when_stdout_is_larger_than_allowed()
    {
        var yaml = $"""
            - hosts: lab
              gather_facts: false
              tasks:
                - ansible.builtin.debug:
                    msg: "{new string('y', 20_000)}"
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = sandbox.Runner(db, o => o.MaxStdoutBytes = 8192);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.Contains("Runner:MaxStdoutBytes", failed.Reason);
        Assert.Equal(8192, new FileInfo(outcome.OutputPath!).Length);
    }

    public void Dispose() => sandbox.Dispose();
}
