using SiemAi.Testing;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_an_approval_is_missing(EventStoreDatabase db) : IDisposable
{
    private const string Yaml = """
        - hosts: lab
          gather_facts: false
          tasks:
            - ansible.builtin.debug:
                msg: needs approval
        """;

    private static readonly string Sha = PlaybookHash.Of(Yaml);
    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Refuses_a_verified_playbook_nobody_approved()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.VerifiedAsync(Sha);

        var failed = await RefusedAsync(saga.IncidentId);

        Assert.Contains("no completed approval", failed.Reason);
    }

    [Fact]
    public async Task Refuses_while_dual_control_has_only_one_approver()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.VerifiedAsync(Sha);
        await saga.ApprovedAsync(Sha, "alice", approvals: 1);

        var failed = await RefusedAsync(saga.IncidentId);

        Assert.Contains("no completed approval", failed.Reason);
    }

    [Fact]
    public async Task Refuses_an_approval_given_to_another_incident()
    {
        var other = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await other.ApprovedForCheckAsync(Sha);

        var failed = await RefusedAsync(Guid.NewGuid());

        Assert.Contains("no audit stream", failed.Reason);
    }

    [Fact]
    public async Task Refuses_a_playbook_the_safety_gate_blocked()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.RejectedAsync(Sha);
        await saga.ApprovedAsync(Sha, "alice", approvals: 1);
        await saga.ApprovedAsync(Sha, "bob", approvals: 2);

        var failed = await RefusedAsync(saga.IncidentId);

        Assert.Contains("did not pass the safety gate", failed.Reason);
    }

    private async Task<PlaybookRunFailed> RefusedAsync(Guid incidentId)
    {
        using var runner = sandbox.Runner(db);
        var outcome = await runner.RunAsync(Sandbox.Command(incidentId, Yaml));
        var failed = Assert.IsType<PlaybookRunFailed>(outcome.Message);
        Assert.True(failed.Refused);
        Assert.False(outcome.AnsibleStarted);
        Assert.False(Directory.Exists(sandbox.Output));
        return failed;
    }

    public void Dispose() => sandbox.Dispose();
}
