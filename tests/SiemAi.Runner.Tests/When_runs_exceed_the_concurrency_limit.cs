using SiemAi.Testing;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_runs_exceed_the_concurrency_limit(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Runs_them_one_after_another_with_a_limit_of_one()
    {
        using var runner = sandbox.Runner(db, o => o.MaxConcurrentRuns = 1);
        var commands = new List<RunPlaybook>();
        for (var i = 0; i < 3; i++)
        {
            var yaml = $"""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - ansible.builtin.debug:
                        msg: "run {i}"
                """;
            var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
            await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
            commands.Add(Sandbox.Command(saga.IncidentId, yaml));
        }

        var outcomes = await Task.WhenAll(commands.Select(c => Task.Run(() => runner.RunAsync(c))));

        Assert.All(outcomes, o => Assert.True(o.Completed?.Succeeded));
        var ordered = outcomes.OrderBy(o => o.StartedAt).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i - 1].EndedAt <= ordered[i].StartedAt,
                $"run {i} started at {ordered[i].StartedAt:O} before run {i - 1} ended at {ordered[i - 1].EndedAt:O}");
        }
    }

    public void Dispose() => sandbox.Dispose();
}
