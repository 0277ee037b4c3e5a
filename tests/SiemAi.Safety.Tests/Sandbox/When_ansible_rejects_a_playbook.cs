using SiemAi.Contracts;
using SiemAi.Sandbox;

namespace SiemAi.Safety.Tests.Sandbox;

/// <summary>The sandboxed syntax check reports a rejection as a fixed reason and a line, read from real ansible-playbook output.</summary>
public sealed class When_ansible_rejects_a_playbook
{
    private static readonly AnsibleSyntaxChecker Checker = new(new SafetyOptions { SyntaxCheck = true }, new BubblewrapSandbox(new SandboxOptions()));

    public static TheoryData<string, string, int?> Rejections() => new()
    {
        { SyntaxCheckReasons.YamlSyntax, "- hosts: all\n  tasks:\n    - debug: {msg: \"x\"\n", 4 },
        { SyntaxCheckReasons.UnknownKeyword, "- hosts: all\n  gather_facts: false\n  colour: blue\n  tasks: []\n", 1 },
        { SyntaxCheckReasons.UnknownModule, "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: t\n      acme.edr.isolate: {host: a}\n", 4 },
        { SyntaxCheckReasons.PlaybookStructure, "hosts: all\ntasks: []\n", 1 },
        { SyntaxCheckReasons.PlaybookStructure, "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: t\n      ansible.builtin.debug: {msg: a}\n      ansible.builtin.ping: {}\n", 4 },
        { SyntaxCheckReasons.TemplateError, "- hosts: all\n  gather_facts: \"{{ not_defined_anywhere }}\"\n  tasks: []\n", 1 },
        { SyntaxCheckReasons.BadValue, "- hosts: all\n  gather_facts: \"{{ 'maybe' }}\"\n  tasks: []\n", 1 },
        { SyntaxCheckReasons.MissingFile, "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.import_tasks: not-there.yml\n", null },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Names_only_the_reason_and_the_line(string reason, string yaml, int? line)
    {
        var finding = await Checker.CheckAsync(yaml, CancellationToken.None);

        Assert.NotNull(finding);
        Assert.Equal(SafetyRules.SyntaxCheckFailed, finding.Rule);
        Assert.Equal(FindingSeverity.Block, finding.Severity);
        Assert.Equal(line, finding.Line);
        var expected = line is { } n ? $": {reason} at line {n}. " : $": {reason}. ";
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR!", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp/", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_check_past_its_time_limit_as_a_timeout()
    {
        var checker = new AnsibleSyntaxChecker(new SafetyOptions { SyntaxCheck = true, SyntaxCheckTimeout = TimeSpan.FromMilliseconds(50) },
            new BubblewrapSandbox(new SandboxOptions()));

        var finding = await checker.CheckAsync("- hosts: all\n  tasks: []\n", CancellationToken.None);

        Assert.NotNull(finding);
        Assert.Contains($": {SyntaxCheckReasons.Timeout}. ", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocks_when_the_sandbox_is_required_but_bwrap_is_missing()
    {
        var checker = new AnsibleSyntaxChecker(new SafetyOptions { SyntaxCheck = true },
            new BubblewrapSandbox(new SandboxOptions { BwrapPath = "/nonexistent/bwrap" }));

        var finding = await checker.CheckAsync("- hosts: all\n  tasks: []\n", CancellationToken.None);

        Assert.NotNull(finding);
        Assert.Equal(SafetyRules.SyntaxCheckUnavailable, finding.Rule);
        Assert.Contains("Sandbox:BwrapPath", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignores_a_line_number_that_is_not_about_the_checked_file()
    {
        const string Raw = "ERROR! 'x' is not a valid attribute for a Play\n\nThe error appears to be in '/other/file.yml': line 3, column 1, but may\n";

        Assert.Equal((SyntaxCheckReasons.UnknownKeyword, (int?)null), AnsibleSyntaxChecker.Classify(Raw, "/work/playbook.yml", "a\nb\nc\n"));
        Assert.Equal((SyntaxCheckReasons.UnknownKeyword, (int?)3), AnsibleSyntaxChecker.Classify(Raw.Replace("/other/file.yml", "/work/playbook.yml", StringComparison.Ordinal), "/work/playbook.yml", "a\nb\nc\n"));
        // A line the file does not have is not believed.
        Assert.Equal((SyntaxCheckReasons.UnknownKeyword, (int?)null), AnsibleSyntaxChecker.Classify(Raw.Replace("/other/file.yml", "/work/playbook.yml", StringComparison.Ordinal), "/work/playbook.yml", "a\n"));
    }
}
