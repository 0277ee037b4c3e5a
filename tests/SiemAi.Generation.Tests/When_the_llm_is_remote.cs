using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SiemAi.Contracts;
using SiemAi.Generation.Llm;
using SiemAi.Generation.Rendering;
using SiemAi.Testing;
using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation.Tests;

public sealed class When_the_llm_is_remote
{
    private const string ApiKey = "sk-test-3f9a1c0d5e";

    private static readonly NormalizedAlert Alert = Alerts.ByTemplate["ssh-brute-force"];

    [Fact]
    public async Task Uses_a_good_answer_and_records_model_and_prompt_hash()
    {
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer(LlmPlaybooks.Fenced(LlmPlaybooks.Good)));
        var logs = new CapturedLogs();
        using var host = RemoteHost(server, logs: logs);

        var playbook = await Generate(host, Alert);

        Assert.Equal("llm", playbook.Provenance.Generator);
        Assert.Equal("test-model", playbook.Provenance.Model);
        Assert.Null(playbook.Provenance.FallbackReason);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + ApiKey, request.Authorization);
        Assert.Equal(PlaybookHash.Of(request.Body), playbook.Provenance.PromptSha256);
        Assert.Contains("untrusted JSON data", request.Body, StringComparison.Ordinal);
        Assert.Contains("\\u0022source_ip\\u0022: \\u0022203.0.113.45\\u0022", request.Body, StringComparison.Ordinal);
        Assert.StartsWith("---\n", playbook.Yaml, StringComparison.Ordinal);
        var play = (YamlMappingNode)((YamlSequenceNode)PlaybookYaml.Parse(playbook.Yaml)).Children.Single();
        Assert.True(PlaybookYaml.IsLiteral((YamlScalarNode)((YamlMappingNode)play["vars"])["attacker_ip"]));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(ApiKey, StringComparison.Ordinal));

        var file = await Ansible.WriteTempAsync(playbook.Yaml, "llm.yml");
        var check = await Ansible.PlaybookAsync("--syntax-check", "-i", "web-01,", file);
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [Theory]
    [InlineData("Sure! Here is a playbook that blocks the attacker.\n\n```yml\n{0}\n```\n\nRun it in check mode first.")]
    [InlineData("{0}")]
    [InlineData("Notes first.\n```\n{0}\n```\nThat's all.")]
    public async Task Extracts_the_playbook_from_prose_a_fence_or_a_bare_answer(string shape)
    {
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, LlmPlaybooks.Good)));
        using var host = RemoteHost(server);

        var playbook = await Generate(host, Alert);

        Assert.Equal("llm", playbook.Provenance.Generator);
        Assert.Contains("ansible.builtin.iptables:", playbook.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("Sure!", playbook.Yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I'm sorry, I can't help with that.")]
    [InlineData("```yaml\nhosts: [unclosed\n```")]
    [InlineData("```yaml\n- name: no tasks here\n  hosts: web-01\n```")]
    public async Task Falls_back_to_the_template_library_on_a_garbage_answer(string answer)
    {
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer(answer));
        using var host = RemoteHost(server);

        var playbook = await Generate(host, Alert);

        Assert.Equal("template", playbook.Provenance.Generator);
        Assert.Equal("ssh-brute-force", playbook.Provenance.TemplateId);
        Assert.Contains("no usable playbook", playbook.Provenance.FallbackReason, StringComparison.Ordinal);
        Assert.NotNull(playbook.Provenance.PromptSha256);
    }

    [Fact]
    public async Task Falls_back_when_the_answer_is_not_a_chat_completion()
    {
        await using var server = new FakeLlmServer(_ => (200, "<html>gateway</html>", TimeSpan.Zero));
        using var host = RemoteHost(server);

        var playbook = await Generate(host, Alert);

        Assert.Equal("template", playbook.Provenance.Generator);
        Assert.Contains("not a chat completion", playbook.Provenance.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Falls_back_after_the_timeout_when_the_answer_is_too_slow()
    {
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer(LlmPlaybooks.Fenced(LlmPlaybooks.Good), TimeSpan.FromSeconds(30)));
        using var host = RemoteHost(server, new()
        {
            ["Generation:LlmAttemptTimeout"] = "00:00:01",
            ["Generation:LlmTotalTimeout"] = "00:00:03",
            ["Generation:LlmMaxRetries"] = "1",
        });

        var playbook = await Generate(host, Alert);

        Assert.Equal("template", playbook.Provenance.Generator);
        Assert.Contains("did not answer within", playbook.Provenance.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Retries_server_errors_then_falls_back()
    {
        await using var server = new FakeLlmServer(_ => ((int)HttpStatusCode.InternalServerError, "{\"error\":\"overloaded\"}", TimeSpan.Zero));
        using var host = RemoteHost(server, new() { ["Generation:LlmMaxRetries"] = "2" });

        var playbook = await Generate(host, Alert);

        Assert.Equal("template", playbook.Provenance.Generator);
        Assert.Equal("ssh-brute-force", playbook.Provenance.TemplateId);
        Assert.Contains("500", playbook.Provenance.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Succeeds_when_a_retry_gets_through_after_a_server_error()
    {
        await using var server = new FakeLlmServer(n => n == 1
            ? (503, "{}", TimeSpan.Zero)
            : FakeLlmServer.Answer(LlmPlaybooks.Fenced(LlmPlaybooks.Good)));
        using var host = RemoteHost(server);

        var playbook = await Generate(host, Alert);

        Assert.Equal("llm", playbook.Provenance.Generator);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Stops_calling_the_model_for_an_incident_whose_budget_is_spent()
    {
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer(LlmPlaybooks.Fenced(LlmPlaybooks.Good)));
        using var host = RemoteHost(server, new() { ["Generation:LlmMaxCallsPerIncident"] = "2" });
        var generator = host.Services.GetRequiredService<IPlaybookGenerator>();
        var incident = Guid.NewGuid();

        var results = new List<GeneratedPlaybook>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            results.Add(await generator.GenerateAsync(new GeneratePlaybook { IncidentId = incident, Timestamp = DateTimeOffset.UtcNow, Alert = Alert, Attempt = attempt }, CancellationToken.None));
        }

        Assert.Equal(["llm", "llm", "template"], results.Select(r => r.Provenance.Generator));
        Assert.Contains("budget", results[2].Provenance.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Makes_alert_template_syntax_the_model_copied_into_a_task_a_literal()
    {
        const string hostile = "{{ lookup('pipe', 'id') }}";
        var alert = Alerts.ByTemplate["compromised-account"] with { User = hostile };
        var answer = LlmPlaybooks.Fenced("""
            - name: Lock the account
              hosts: web-01
              tasks:
                - name: Lock
                  ansible.builtin.user:
                    name: "{{ lookup('pipe', 'id') }}"
                    password_lock: true
            """);
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer(answer));
        using var host = RemoteHost(server);

        var playbook = await Generate(host, alert);

        Assert.Equal("llm", playbook.Provenance.Generator);
        var name = PlaybookYaml.Scalars(PlaybookYaml.Parse(playbook.Yaml)).Single(s => s.Value == hostile);
        Assert.True(PlaybookYaml.IsLiteral(name));
    }

    [Fact]
    public async Task Falls_back_when_the_model_embeds_alert_template_syntax_in_larger_text()
    {
        var alert = Alerts.ByTemplate["compromised-account"] with { User = "{{ lookup('pipe', 'id') }}" };
        var answer = LlmPlaybooks.Fenced("""
            - name: Lock the account
              hosts: web-01
              tasks:
                - name: Lock
                  ansible.builtin.debug:
                    msg: "locking {{ lookup('pipe', 'id') }} now"
            """);
        await using var server = new FakeLlmServer(_ => FakeLlmServer.Answer(answer));
        using var host = RemoteHost(server);

        var playbook = await Generate(host, alert);

        Assert.Equal("template", playbook.Provenance.Generator);
        Assert.Contains("template syntax outside a literal", playbook.Provenance.FallbackReason, StringComparison.Ordinal);
    }

    internal static IHost RemoteHost(FakeLlmServer server, Dictionary<string, string?>? extra = null, CapturedLogs? logs = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MODEL_MODE"] = "remote",
            ["LLM_ENDPOINT"] = server.Endpoint.ToString(),
            ["LLM_API_KEY"] = ApiKey,
            ["LLM_MODEL"] = "test-model",
            ["Generation:LlmAttemptTimeout"] = "00:00:10",
            ["Generation:LlmTotalTimeout"] = "00:00:30",
            ["Generation:LlmMaxRetries"] = "2",
            ["Generation:LlmRetryBaseDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return GenerationHost.Build(settings, services =>
        {
            if (logs is not null)
            {
                services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            }
        });
    }

    private static async Task<GeneratedPlaybook> Generate(IHost host, NormalizedAlert alert)
    {
        var generator = host.Services.GetRequiredService<IPlaybookGenerator>();
        Assert.IsType<LlmPlaybookGenerator>(generator);
        return await generator.GenerateAsync(new GeneratePlaybook { IncidentId = Guid.NewGuid(), Timestamp = DateTimeOffset.UtcNow, Alert = alert }, CancellationToken.None);
    }
}
