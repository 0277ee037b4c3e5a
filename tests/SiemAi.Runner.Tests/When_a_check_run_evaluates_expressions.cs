using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SiemAi.Contracts;
using SiemAi.Sandbox;
using SiemAi.Testing;

namespace SiemAi.Runner.Tests;

/// <summary>
/// The controller side of a check run is sandboxed: expressions ansible evaluates on the controller (bare
/// <c>when</c>/<c>failed_when</c>/<c>until</c>, <c>assert.that</c>, <c>debug.var</c>, templated <c>set_fact</c> keys,
/// lookups in any spelling) cannot write on the host, read its secrets or reach the service's ports. Each case has
/// an unconfined control proving the same playbook does all of that without the sandbox.
/// </summary>
[Collection(RunnerCollection.Name)]
public sealed class When_a_check_run_evaluates_expressions(EventStoreDatabase db) : IDisposable
{
    private readonly Sandbox sandbox = new();

    private AnsibleRunner Runner(bool sandboxed) =>
        new(Microsoft.Extensions.Options.Options.Create(sandbox.Options()), new RunApprovalCheck(db.Store), NullLogger<AnsibleRunner>.Instance,
            new BubblewrapSandbox(new SandboxOptions { Enabled = sandboxed }));

    /// <summary>One marker per evaluating keyword, all in the host's /tmp (the sandbox's /tmp is its own).</summary>
    private static Dictionary<string, string> Markers() =>
        new[] { "when", "failed_when", "until", "assert", "debug_var", "set_fact_key", "name" }
            .ToDictionary(k => k, k => Path.Combine(Path.GetTempPath(), $"siemai-marker-{k}-{Guid.NewGuid():N}"));

    private static string Evaluating(IReadOnlyDictionary<string, string> m) => $$$"""
        - hosts: lab
          gather_facts: false
          tasks:
            - name: Bare when
              ansible.builtin.debug: {msg: a}
              when: (lookup)('pipe', 'touch {{{m["when"]}}}') == ''
            - name: Bare failed_when
              ansible.builtin.debug: {msg: b}
              failed_when: lookup('pipe', 'touch {{{m["failed_when"]}}}') != ''
            - name: Bare until
              ansible.builtin.debug: {msg: c}
              until: query('pipe', 'touch {{{m["until"]}}}') is defined
              retries: 1
              delay: 0
            - name: Assert that
              ansible.builtin.assert:
                that: [ "lookup('pipe', 'touch {{{m["assert"]}}}') == ''" ]
            - name: Debug var
              ansible.builtin.debug:
                var: lookup('pipe', 'touch {{{m["debug_var"]}}}')
            - name: Templated set_fact key
              ansible.builtin.set_fact:
                "{{ 'k' ~ lookup('pipe', 'touch {{{m["set_fact_key"]}}}') }}": 1
            - name: "{{ lookup('pipe', 'touch {{{m["name"]}}}') }}"
              ansible.builtin.debug: {msg: d}
        """;

    [Fact]
    public async Task Leaves_no_marker_on_the_host()
    {
        var markers = Markers();
        var yaml = Evaluating(markers);
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = Runner(sandboxed: true);

        var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

        // The run itself works (the lookups ran, inside the sandbox): only the host never saw them.
        var completed = Assert.IsType<PlaybookRunCompleted>(outcome.Message);
        Assert.True(completed.Succeeded, completed.ResultJson);
        Assert.All(markers, m => Assert.False(File.Exists(m.Value), $"{m.Key}: the check run created {m.Value} on the host"));
    }

    [Fact]
    public async Task Creates_every_marker_without_the_sandbox()
    {
        // The control: each keyword really is evaluated on the controller during a check run.
        var markers = Markers();
        var yaml = Evaluating(markers);
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));
        using var runner = Runner(sandboxed: false);
        try
        {
            var outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));

            Assert.NotNull(outcome.Completed);
            Assert.All(markers, m => Assert.True(File.Exists(m.Value), $"{m.Key}: not evaluated even unconfined; the sandboxed test proves nothing"));
        }
        finally
        {
            foreach (var marker in markers.Values)
            {
                File.Delete(marker);
            }
        }
    }

    [Fact]
    public async Task Cannot_read_the_hosts_secrets_or_reach_the_services_ports()
    {
        // A secret file like the service's own (/run/secrets/db_password in the image), outside what the run may read.
        var secrets = Directory.CreateDirectory(Path.Combine(sandbox.Root, "secrets")).FullName;
        var canary = $"canary-{Guid.NewGuid():N}";
        var secretFile = Path.Combine(secrets, "db_password");
        await File.WriteAllTextAsync(secretFile, canary);
        var port = int.Parse(ServiceSettings.Require("DB_PORT"), CultureInfo.InvariantCulture);
        var yaml = $$$"""
            - hosts: lab
              gather_facts: false
              tasks:
                - name: Read the secret file
                  ansible.builtin.debug:
                    msg: "[{{ lookup('file', '{{{secretFile}}}', errors='ignore') | default('') }}]"
                - name: Read the service's environment
                  ansible.builtin.debug:
                    msg: "[{{ lookup('env', 'DB_PASSWORD') }}]"
                - name: Read the shadow file
                  ansible.builtin.debug:
                    msg: "[{{ lookup('file', '/etc/shadow', errors='ignore') | default('', true) | length }}]"
                - name: Reach the database port
                  ansible.builtin.wait_for: {host: 127.0.0.1, port: {{{port}}}, timeout: 3}
                  check_mode: false
                  ignore_errors: true
            """;
        var saga = new IncidentStreamWriter(db.Store, Guid.NewGuid());
        await saga.ApprovedForCheckAsync(PlaybookHash.Of(yaml));

        var sandboxed = await TasksAsync(Runner(sandboxed: true), saga, yaml);
        var unconfined = await TasksAsync(Runner(sandboxed: false), saga, yaml);

        Assert.Equal("[]", sandboxed[0].GetProperty("msg").GetString());
        Assert.Equal("[]", sandboxed[1].GetProperty("msg").GetString());
        Assert.Equal("[0]", sandboxed[2].GetProperty("msg").GetString());
        Assert.True(sandboxed[3].GetProperty("failed").GetBoolean(), sandboxed[3].ToString());
        // The control: the same tasks, unconfined, read the file and reach the port (the environment stays cleared
        // either way: the runner never passes its own on).
        Assert.Equal($"[{canary}]", unconfined[0].GetProperty("msg").GetString());
        Assert.Equal("[]", unconfined[1].GetProperty("msg").GetString());
        Assert.NotEqual("[0]", unconfined[2].GetProperty("msg").GetString());
        Assert.False(unconfined[3].GetProperty("failed").GetBoolean(), unconfined[3].ToString());
    }

    /// <summary>Runs the playbook (this process holds the real DB_PASSWORD from services.sh) and returns its task results.</summary>
    private static async Task<List<JsonElement>> TasksAsync(AnsibleRunner runner, IncidentStreamWriter saga, string yaml)
    {
        RunOutcome outcome;
        using (runner)
        {
            outcome = await runner.RunAsync(Sandbox.Command(saga.IncidentId, yaml));
        }

        Assert.DoesNotContain(ServiceSettings.Require("DB_PASSWORD"), await File.ReadAllTextAsync(outcome.OutputPath!), StringComparison.Ordinal);
        var completed = Assert.IsType<PlaybookRunCompleted>(outcome.Message);
        using var result = JsonDocument.Parse(completed.ResultJson!);
        return [.. result.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.Clone())];
    }

    public void Dispose() => sandbox.Dispose();
}
