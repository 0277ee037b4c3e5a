using SiemAi.Testing;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_a_playbook_was_changed_after_approval(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    private string Approved => $"""
        - hosts: lab
          gather_facts: false
          tasks:
            - ansible.builtin.debug:
                msg: harmless
        """;

    private string Tampered => $"""
        - hosts: lab
          gather_facts: false
          tasks:
            - ansible.builtin.copy:
                dest: "{Path.Combine(sandbox.Target, "pwned")}"
                content: "tampered"
              check_mode: false
        """;

    [Fact]
    public async Task Refuses_bytes_that_do_not_match_the_approved_hash_and_never_starts_ansible()
    {
        var approvedSha = PlaybookHash.Of(Approved);
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(approvedSha);
        using var runner = sandbox.Runner(db);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, Tampered, sha256: approvedSha));

        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.True(failed.Refused);
        Assert.False(failed.Retryable);
        Assert.Contains(approvedSha, failed.Reason);
        Assert.Contains(PlaybookHash.Of(Tampered), failed.Reason);
        AssertAnsibleNeverRan(outcome);
    }

    [Fact]
    public async Task Refuses_changed_bytes_sent_with_their_own_new_hash()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(Approved));
        using var runner = sandbox.Runner(db);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, Tampered));

        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.True(failed.Refused);
        Assert.Contains("did not pass the safety gate", failed.Reason);
        AssertAnsibleNeverRan(outcome);
    }

    private void AssertAnsibleNeverRan(RunOutcome outcome)
    {
        Assert.False(outcome.AnsibleStarted);
        Assert.Null(outcome.OutputSha256);
        Assert.False(Directory.Exists(sandbox.Output) && Directory.EnumerateFileSystemEntries(sandbox.Output).Any());
        Assert.False(Directory.Exists(sandbox.Library) && Directory.EnumerateFileSystemEntries(sandbox.Library).Any());
        Assert.Empty(Directory.EnumerateFileSystemEntries(sandbox.Work));
        Assert.False(File.Exists(Path.Combine(sandbox.Target, "pwned")));
    }

    public void Dispose() => sandbox.Dispose();
}
