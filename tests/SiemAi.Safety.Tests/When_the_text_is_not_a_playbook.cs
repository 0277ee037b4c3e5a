using SiemAi.Contracts;

namespace SiemAi.Safety.Tests;

public sealed class When_the_text_is_not_a_playbook
{
    private static readonly PlaybookSafetyGate Gate = new(new SafetyOptions { SyntaxCheck = false });

    [Theory]
    [InlineData("just a string", "playbook-shape")]
    [InlineData("- 42", "playbook-shape")]
    [InlineData("- hosts: web01\n  tasks: oops", "playbook-shape")]
    [InlineData("- hosts: web01\n  tasks:\n    - 7", "playbook-shape")]
    [InlineData("- hosts: web01\n  tasks:\n    - name: no module", "playbook-shape")]
    [InlineData("- hosts:\n  tasks: []", "playbook-shape")]
    [InlineData("- hosts: web01\n  tasks:\n    - action: {}", "playbook-shape")]
    [InlineData("- hosts: web01\n  tasks:\n    - ansible.builtin.file: *nowhere", "yaml-invalid")]
    public void Blocks_with_a_finding_instead_of_failing(string yaml, string rule)
    {
        var report = Gate.Check(yaml);

        Assert.Equal(SafetyVerdict.Block, report.Verdict);
        Assert.Contains(report.Findings, f => f.Rule == rule);
    }

    [Fact]
    public void Gives_the_same_answer_from_many_threads()
    {
        var yaml = File.ReadAllText(Path.Combine(Corpus.Directory, "dangerous", "destructive-path__via-play-vars.yml"));
        var expected = Gate.Check(yaml);

        var reports = Enumerable.Range(0, 64).AsParallel().Select(_ => Gate.Check(yaml)).ToList();

        Assert.All(reports, r => Assert.Equal(expected.Findings, r.Findings));
    }
}
