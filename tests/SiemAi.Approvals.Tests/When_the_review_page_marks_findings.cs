using System.Text.Json.Nodes;
using SiemAi.Approvals.Api;
using SiemAi.Approvals.Review;
using SiemAi.Incidents.Model;

namespace SiemAi.Approvals.Tests;

/// <summary>The playbook as the reviewer reads it: every line, exactly, with each safety finding on its own line.</summary>
public sealed class When_the_review_page_marks_findings
{
    private const string Yaml = "- hosts: web-1\n  tasks:\n    - name: Reload\n      ansible.builtin.shell: systemctl reload nginx <b>\n";

    private static string Render() => ReviewHtml.Incident(
        new IncidentSnapshot(Guid.NewGuid(), IncidentStatus.AwaitingApproval, new string('a', 64), new JsonObject { ["severity"] = "high", ["title"] = "t" }, new JsonObject
        {
            ["playbookYaml"] = Yaml,
            ["findings"] = new JsonArray(new JsonObject { ["rule"] = "shell-command", ["severity"] = "warn", ["path"] = "plays[0].tasks[0]", ["message"] = "uses the shell", ["line"] = 4 }),
        }),
        [],
        "<input type=\"hidden\" name=\"__csrf\" value=\"t\">",
        canDecide: true);

    [Fact]
    public void Marks_the_finding_on_its_line_and_no_other()
    {
        var html = Render();

        Assert.Contains("<li id=\"L4\" class=\"finding\" data-rules=\"shell-command\">", html, StringComparison.Ordinal);
        Assert.Contains("<li id=\"L3\">", html, StringComparison.Ordinal);
        Assert.Contains("warn shell-command: uses the shell", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#L4\">4</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Encodes_the_yaml_instead_of_interpreting_it()
    {
        var html = Render();

        Assert.DoesNotContain("nginx <b>", html, StringComparison.Ordinal);
        Assert.Contains("nginx &lt;b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Carries_the_reviewed_hash_and_the_form_token_in_the_decision_form()
    {
        var html = Render();

        Assert.Contains($"name=\"playbookSha256\" value=\"{new string('a', 64)}\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"__csrf\"", html, StringComparison.Ordinal);
    }
}
