using System.Text.Json;

namespace SiemAi.Audit.Tests;

public sealed class When_an_auditor_exports_the_trail(RecordedIncidents recorded) : IClassFixture<RecordedIncidents>
{
    [Fact]
    public async Task Writes_one_json_line_per_event_with_the_seed_field_names()
    {
        var lines = await Export();

        Assert.Equal(13, lines.Count);
        foreach (var line in lines)
        {
            foreach (var field in new[] { "event_type", "timestamp", "incident_id", "actor", "playbook_sha256", "data" })
            {
                Assert.True(line.TryGetProperty(field, out _), $"missing {field} in {line}");
            }
        }
    }

    [Fact]
    public async Task Selects_the_approvals_the_way_jq_does()
    {
        // jq 'select(.event_type == "playbook_approved")'
        var approved = (await Export()).Where(l => l.GetProperty("event_type").GetString() == "playbook_approved").ToList();

        Assert.Equal(2, approved.Count);
        Assert.All(approved, a =>
        {
            Assert.Equal(recorded.Approved.ToString("D"), a.GetProperty("incident_id").GetString());
            Assert.Equal(RecordedIncidents.PlaybookHash, a.GetProperty("playbook_sha256").GetString());
        });
        Assert.Equal(["approver:alice", "approver:bob"], approved.Select(a => a.GetProperty("actor").GetString()));
        Assert.Equal([false, true], approved.Select(a => a.GetProperty("data").GetProperty("complete").GetBoolean()));
    }

    [Fact]
    public async Task Filters_by_type_on_the_server()
    {
        var closed = await Export("--type", "incident_closed");

        Assert.Equal(["check_succeeded", "blocked"], closed.Select(l => l.GetProperty("data").GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Filters_by_time_window()
    {
        var fifth = recorded.ApprovedEvents.Single(e => e.Version == 5);
        var seventh = recorded.ApprovedEvents.Single(e => e.Version == 7);

        var window = await Export("--since", fifth.RecordedAt.ToString("O"), "--until", seventh.RecordedAt.ToString("O"));

        Assert.Equal(["playbook_approved", "playbook_approved"], window.Select(l => l.GetProperty("event_type").GetString()));
    }

    [Fact]
    public async Task Keeps_timestamps_that_sort_in_recorded_order()
    {
        var timestamps = (await Export()).Select(l => DateTimeOffset.Parse(l.GetProperty("timestamp").GetString()!)).ToList();

        Assert.Equal(timestamps.Order(), timestamps);
    }

    private async Task<List<JsonElement>> Export(params string[] options)
    {
        var result = await CliProcess.RunAsync(recorded.Database, ["audit", "export", .. options]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
