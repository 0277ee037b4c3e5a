using SiemAi.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_the_consumer_receives_RunPlaybook(EventStoreDatabase db) : IDisposable
{
    private const string Yaml = """
        - hosts: lab
          gather_facts: false
          tasks:
            - ansible.builtin.debug:
                msg: from the bus
        """;

    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Publishes_PlaybookRunCompleted_for_an_approved_playbook()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(Yaml));
        using var host = RunnerHost.Build(db, RunnerHost.Settings(sandbox));
        await host.StartAsync();
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var command = Sandbox.Command(saga.IncidentId, Yaml);

        await harness.Bus.Publish(command);

        Assert.True(await harness.Published.Any<PlaybookRunCompleted>(m => m.Context.Message.RunId == command.RunId));
        var completed = harness.Published.Select<PlaybookRunCompleted>(m => m.Context.Message.RunId == command.RunId).Single().Context.Message;
        Assert.True(completed.Succeeded);
        Assert.Equal(saga.IncidentId, completed.IncidentId);
        Assert.Equal(command.PlaybookSha256, completed.PlaybookSha256);
        Assert.Equal("localhost", completed.Hosts.Single().Host);
        Assert.False(await harness.Published.Any<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId));
        await host.StopAsync();
    }

    [Fact]
    public async Task Publishes_a_refusal_for_an_unapproved_playbook()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.VerifiedAsync(PlaybookHash.Of(Yaml));
        using var host = RunnerHost.Build(db, RunnerHost.Settings(sandbox));
        await host.StartAsync();
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var command = Sandbox.Command(saga.IncidentId, Yaml);

        await harness.Bus.Publish(command);

        Assert.True(await harness.Published.Any<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId));
        var failed = harness.Published.Select<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId).Single().Context.Message;
        Assert.True(failed.Refused);
        Assert.Equal(saga.IncidentId, failed.IncidentId);
        Assert.False(Directory.Exists(sandbox.Output));
        await host.StopAsync();
    }

    [Fact]
    public async Task Publishes_a_retryable_failure_when_ansible_is_not_installed()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(Yaml));
        var settings = RunnerHost.Settings(sandbox);
        settings["Runner:AnsiblePlaybook"] = "ansible-playbook-not-installed";
        using var host = RunnerHost.Build(db, settings);
        await host.StartAsync();
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var command = Sandbox.Command(saga.IncidentId, Yaml);

        await harness.Bus.Publish(command);

        Assert.True(await harness.Published.Any<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId));
        var failed = harness.Published.Select<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId).Single().Context.Message;
        Assert.True(failed.Retryable);
        Assert.False(failed.Refused);
        Assert.Contains("ansible-playbook-not-installed", failed.Reason);
        await host.StopAsync();
    }

    public void Dispose() => sandbox.Dispose();
}
