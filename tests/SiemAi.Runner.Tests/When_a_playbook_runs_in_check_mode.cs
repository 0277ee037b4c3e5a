using SiemAi.Testing;
using System.Text.Json;
using SiemAi.Contracts;

namespace SiemAi.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class When_a_playbook_runs_in_check_mode(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    [Fact]
    public async Task Reports_changes_for_localhost_without_making_them()
    {
        var created = Path.Combine(sandbox.Target, "created.conf");
        var existing = Path.Combine(sandbox.Target, "sshd_config");
        await File.WriteAllTextAsync(existing, "PermitRootLogin yes\n");
        var yaml = $"""
            - name: Harden the lab host
              hosts: lab
              gather_facts: false
              tasks:
                - name: Write the banner file
                  ansible.builtin.copy:
                    dest: "{created}"
                    content: "authorised use only\n"
                    mode: "0644"
                - name: Forbid root login
                  ansible.builtin.lineinfile:
                    path: "{existing}"
                    regexp: "^PermitRootLogin"
                    line: "PermitRootLogin no"
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = sandbox.Runner(db);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

        var completed = Assert.IsType<PlaybookRunCompleted>(outcome.Message);
        Assert.True(completed.Succeeded, completed.ResultJson);
        Assert.Equal(0, completed.ExitCode);
        Assert.Equal(RunMode.Check, completed.Mode);
        var localhost = Assert.Single(completed.Hosts);
        Assert.Equal("localhost", localhost.Host);
        Assert.Equal(2, localhost.Changed);
        Assert.Equal(0, localhost.Failed + localhost.Unreachable);

        Assert.False(File.Exists(created));
        Assert.Equal("PermitRootLogin yes\n", await File.ReadAllTextAsync(existing));

        using var result = JsonDocument.Parse(completed.ResultJson!);
        var tasks = result.RootElement.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["Write the banner file", "Forbid root login"], tasks.Select(t => t.GetProperty("task").GetString()));
        Assert.All(tasks, t => Assert.True(t.GetProperty("changed").GetBoolean()));
        Assert.Equal("authorised use only\n", tasks[0].GetProperty("diff")[0].GetProperty("after").GetString());
        Assert.Equal("PermitRootLogin no\n", tasks[1].GetProperty("diff")[0].GetProperty("after").GetString());
        Assert.Equal("PermitRootLogin yes\n", tasks[1].GetProperty("diff")[0].GetProperty("before").GetString());

        var archived = await File.ReadAllBytesAsync(Path.Combine(sandbox.Output, completed.OutputSha256 + ".json"));
        Assert.Equal(completed.OutputSha256, PlaybookHash.Of(archived));
        Assert.False(Directory.Exists(outcome.WorkDirectory));
    }

    [Fact]
    public async Task Archives_the_approved_playbook_with_its_verdict_and_approvers()
    {
        var yaml = """
            - hosts: lab
              gather_facts: false
              tasks:
                - ansible.builtin.debug:
                    msg: archived
            """;
        var sha = PlaybookHash.Of(yaml);
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(sha);
        using var runner = sandbox.Runner(db);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

        Assert.NotNull(outcome.Completed);
        Assert.Equal(yaml, await File.ReadAllTextAsync(Path.Combine(sandbox.Library, sha + ".yml")));
        using var sidecar = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(sandbox.Library, sha + ".json")));
        Assert.Equal(sha, sidecar.RootElement.GetProperty("playbook_sha256").GetString());
        var approval = Assert.Single(sidecar.RootElement.GetProperty("approvals").EnumerateArray().ToList());
        Assert.Equal(saga.IncidentId.ToString("D"), approval.GetProperty("incident_id").GetString());
        Assert.Equal("pass", approval.GetProperty("verdict").GetString());
        Assert.Equal(["alice", "bob"], approval.GetProperty("approvers").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Gives_ansible_none_of_the_callers_environment()
    {
        const string secret = "SIEMAI_RUNNER_TEST_SECRET";
        var yaml = $$$"""
            - hosts: lab
              gather_facts: false
              tasks:
                - name: Show the environment
                  ansible.builtin.debug:
                    msg: "secret=[{{ lookup('env', '{{{secret}}}') }}] home=[{{ lookup('env', 'HOME') }}]"
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = sandbox.Runner(db);
        Environment.SetEnvironmentVariable(secret, "hunter2");
        // A caller's ANSIBLE_* must not reach the run either: this one would replace the JSON report.
        Environment.SetEnvironmentVariable("ANSIBLE_STDOUT_CALLBACK", "minimal");
        RunOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
            Environment.SetEnvironmentVariable("ANSIBLE_STDOUT_CALLBACK", null);
        }

        var completed = Assert.IsType<PlaybookRunCompleted>(outcome.Message);
        using var result = JsonDocument.Parse(completed.ResultJson!);
        var msg = result.RootElement.GetProperty("tasks")[0].GetProperty("msg").GetString();
        Assert.Equal($"secret=[] home=[{outcome.WorkDirectory}]", msg);
    }

    [Fact]
    public async Task Cuts_large_diffs_in_the_report_and_keeps_them_whole_in_the_archive()
    {
        var big = new string('x', 50_000);
        var yaml = $"""
            - hosts: lab
              gather_facts: false
              tasks:
                - ansible.builtin.copy:
                    dest: "{Path.Combine(sandbox.Target, "big.txt")}"
                    content: "{big}"
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = sandbox.Runner(db, o => o.MaxDiffChars = 1000);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

        var completed = Assert.IsType<PlaybookRunCompleted>(outcome.Message);
        using var result = JsonDocument.Parse(completed.ResultJson!);
        var after = result.RootElement.GetProperty("tasks")[0].GetProperty("diff")[0].GetProperty("after").GetString()!;
        Assert.StartsWith(new string('x', 1000) + "\n[... 49000 more characters", after);
        Assert.Contains(big, await File.ReadAllTextAsync(outcome.OutputPath!));
    }

    public void Dispose() => sandbox.Dispose();
}
