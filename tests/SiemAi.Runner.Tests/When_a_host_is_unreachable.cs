using SiemAi.Testing;
using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_a_host_is_unreachable(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Records_that_host_as_unreachable_and_the_run_as_not_succeeded()
    {
        // Port 1 on loopback is closed: SSH is refused at once, without leaving the machine.
        var inventory = sandbox.WriteInventory("""
            [lab]
            localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
            dead-host ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody
            """);
        const string yaml = """
            - hosts: lab
              gather_facts: false
              tasks:
                - name: Ping
                  ansible.builtin.ping:
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = sandbox.Runner(db, o =>
        {
            o.InventoryPath = inventory;
            o.Lab = false;
        });

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

        var completed = Assert.IsType<PlaybookRunCompleted>(outcome.Message);
        Assert.False(completed.Succeeded);
        Assert.NotEqual(0, completed.ExitCode);
        var dead = Assert.Single(completed.Hosts, h => h.Host == "dead-host");
        Assert.Equal(1, dead.Unreachable);
        Assert.Equal(0, dead.Ok);
        var localhost = Assert.Single(completed.Hosts, h => h.Host == "localhost");
        Assert.Equal(1, localhost.Ok);
        Assert.Equal(0, localhost.Unreachable);
        using var result = JsonDocument.Parse(completed.ResultJson!);
        var deadTask = result.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("host").GetString() == "dead-host");
        Assert.True(deadTask.GetProperty("unreachable").GetBoolean());
        // ssh words it "Connection refused" or, on a loaded machine, "Data could not be sent to remote host".
        Assert.Matches("Connection refused|could not be sent to remote host", deadTask.GetProperty("msg").GetString());
    }

    public void Dispose() => sandbox.Dispose();
}
