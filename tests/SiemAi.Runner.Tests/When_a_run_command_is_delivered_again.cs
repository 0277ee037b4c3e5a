using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.Testing;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_a_run_command_is_delivered_again(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    /// <summary>
    /// Each real ansible run prints the time to the nanosecond (check_mode: false on purpose, test-only), so each run
    /// leaves its own output in the archive and the archive counts runs. (A check run cannot write on the host:
    /// its sandbox shows the controller read-only.)
    /// </summary>
    private const string CountingPlaybook = """
        - hosts: lab
          gather_facts: false
          tasks:
            - ansible.builtin.command: date +%s%N
              check_mode: false
        """;

    private string[] ArchivedRuns => Directory.Exists(sandbox.Output) ? Directory.GetFiles(sandbox.Output, "*.json") : [];

    [Fact]
    public async Task Runs_ansible_once_and_answers_the_second_delivery_with_the_same_message()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        var yaml = CountingPlaybook;
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var host = RunnerHost.Build(db, RunnerHost.Settings(sandbox));
        await host.StartAsync();
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var command = Sandbox.Command(saga.IncidentId, yaml);
        var answers = new AnswerObserver();
        using var observing = harness.Bus.ConnectPublishObserver(answers);

        await harness.Bus.Publish(command);
        await WaitForAsync(() => answers.Completed.Count >= 1);
        await harness.Bus.Publish(command); // the same command again (another message id: a producer's or broker's duplicate)
        await WaitForAsync(() => answers.Completed.Count >= 2);

        Assert.Equal(2, answers.Completed.Count);
        Assert.Single(answers.Completed.Select(a => a.MessageId).Distinct());
        Assert.All(answers.Completed, a => Assert.True(a.Message.Succeeded));
        Assert.Equal(answers.Completed[0].Message.OutputSha256, answers.Completed[1].Message.OutputSha256);
        Assert.False(await harness.Published.Any<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId));
        Assert.Single(ArchivedRuns);
        Assert.Equal(("PlaybookRunCompleted", true), await LedgerRowAsync(command.RunId));
        await host.StopAsync();
    }

    [Fact]
    public async Task Reports_a_claimed_run_that_never_answered_as_failed_without_running_it()
    {
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        var yaml = CountingPlaybook;
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        var command = Sandbox.Command(saga.IncidentId, yaml);
        // A runner that crashed mid-run: its claim is there, its answer is not, and it is older than timeout + grace.
        await using (var insert = db.App.CreateCommand("INSERT INTO runner_runs (run_id, incident_id, mode, claimed_at, claimed_by) VALUES ($1, $2, 'Check', now() - interval '1 hour', 'crashed-host/4242')"))
        {
            insert.Parameters.AddWithValue(command.RunId);
            insert.Parameters.AddWithValue(command.IncidentId);
            await insert.ExecuteNonQueryAsync();
        }

        using var host = RunnerHost.Build(db, RunnerHost.Settings(sandbox));
        await host.StartAsync();
        var harness = host.Services.GetRequiredService<ITestHarness>();

        await harness.Bus.Publish(command);

        Assert.True(await harness.Published.Any<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId));
        var failed = harness.Published.Select<PlaybookRunFailed>(m => m.Context.Message.RunId == command.RunId).Single().Context.Message;
        Assert.Contains("crashed-host/4242", failed.Reason, StringComparison.Ordinal);
        Assert.True(failed.Retryable);
        Assert.False(failed.Refused);
        Assert.True(ArchivedRuns.Length == 0, "the playbook ran although its run id was already claimed");
        Assert.Equal(("PlaybookRunFailed", true), await LedgerRowAsync(command.RunId));
        await host.StopAsync();
    }

    public void Dispose() => sandbox.Dispose();

    /// <summary>Sees every publish (the harness's own lists keep one entry per message id).</summary>
    private sealed class AnswerObserver : IPublishObserver
    {
        private readonly List<(Guid? MessageId, PlaybookRunCompleted Message)> completed = [];

        public IReadOnlyList<(Guid? MessageId, PlaybookRunCompleted Message)> Completed
        {
            get
            {
                lock (completed)
                {
                    return [.. completed];
                }
            }
        }

        public Task PrePublish<T>(PublishContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context)
            where T : class
        {
            if (context.Message is PlaybookRunCompleted message)
            {
                lock (completed)
                {
                    completed.Add((context.MessageId, message));
                }
            }

            return Task.CompletedTask;
        }

        public Task PublishFault<T>(PublishContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }

    private async Task<(string? AnswerType, bool Finished)> LedgerRowAsync(Guid runId)
    {
        await using var select = db.App.CreateCommand("SELECT answer_type, finished_at IS NOT NULL FROM runner_runs WHERE run_id = $1");
        select.Parameters.AddWithValue(runId);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no ledger row");
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }
}
