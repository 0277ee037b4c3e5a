using SiemAi.Contracts;

namespace SiemAi.Safety.Tests;

public sealed class When_reading_yaml_strictly
{
    private static readonly PlaybookSafetyGate Gate = new(new SafetyOptions { SyntaxCheck = false });

    private const string Header = """
        - name: Remediate
          hosts: web01
          gather_facts: false
          tasks:

        """;

    [Fact]
    public void Reports_the_line_of_a_duplicate_key()
    {
        var report = Gate.Check(Header + """
                - ansible.builtin.file:
                    path: /tmp/a
                    state: touch
                    path: /etc
            """);

        var finding = Assert.Single(report.Findings, f => f.Rule == SafetyRules.DuplicateKey);
        Assert.Equal(8, finding.Line);
        Assert.Equal(SafetyVerdict.Block, report.Verdict);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("no")]
    [InlineData("No")]
    [InlineData("OFF")]
    [InlineData("\"off\"")]
    [InlineData("'n'")]
    [InlineData("0")]
    public void Blocks_check_mode_turned_off_in_any_yaml_1_1_spelling(string value)
    {
        var report = Gate.Check(Header + $"""
                - ansible.builtin.debug:
                    msg: hi
                  check_mode: {value}
            """);

        var finding = Assert.Single(report.Findings, f => f.Rule == SafetyRules.CheckModeDisabled);
        Assert.Equal("plays[0].tasks[0].check_mode", finding.Path);
        Assert.Equal(7, finding.Line);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("YES")]
    [InlineData("on")]
    public void Accepts_check_mode_turned_on(string value)
    {
        var report = Gate.Check(Header + $"""
                - ansible.builtin.debug:
                    msg: hi
                  check_mode: {value}
            """);

        Assert.Equal(SafetyVerdict.Pass, report.Verdict);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Accepts_unsafe_as_a_literal_that_is_never_templated()
    {
        var report = Gate.Check(Header + """
                - ansible.builtin.debug:
                    msg: !unsafe "{{ lookup('pipe', 'id') }}"
            """);

        Assert.Equal(SafetyVerdict.Pass, report.Verdict);
    }

    [Fact]
    public void Blocks_a_vault_value_and_a_foreign_tag()
    {
        var report = Gate.Check(Header + """
                - ansible.builtin.debug:
                    msg: !vault |
                      $ANSIBLE_VAULT;1.1;AES256
                      6231
                - ansible.builtin.debug:
                    msg: !!python/name:os.system
            """);

        Assert.Contains(report.Findings, f => f.Rule == SafetyRules.VaultEncrypted && f.Line == 6);
        Assert.Contains(report.Findings, f => f.Rule == SafetyRules.UnknownTag && f.Line == 10);
    }

    [Fact]
    public void Judges_an_alias_by_the_value_it_stands_for()
    {
        var report = Gate.Check("""
            - name: Anchor in one play, alias in a task
              hosts: web01
              vars:
                logs: &evidence /var/log/audit
              tasks:
                - ansible.builtin.file:
                    path: *evidence
                    state: absent
            """);

        var finding = Assert.Single(report.Findings, f => f.Rule != SafetyRules.YamlAnchor);
        Assert.Equal(SafetyRules.DestructivePath, finding.Rule);
        Assert.Equal("plays[0].tasks[0].path", finding.Path);
        Assert.Contains(report.Findings, f => f.Rule == SafetyRules.YamlAnchor && f.Line == 4);
        Assert.Contains(report.Findings, f => f.Rule == SafetyRules.YamlAnchor && f.Line == 7);
    }

    [Fact]
    public void Blocks_a_merge_key_but_resolves_it_as_pyyaml_does()
    {
        var report = Gate.Check("""
            - name: Merge with override
              hosts: web01
              vars:
                base: &base
                  check_mode: false
              tasks:
                - <<: *base
                  check_mode: true
                  ansible.builtin.debug:
                    msg: safe
            """);

        // Explicit keys win over merged ones, so check_mode stays on; the merge itself is refused.
        Assert.DoesNotContain(report.Findings, f => f.Rule == SafetyRules.CheckModeDisabled);
        Assert.Contains(report.Findings, f => f.Rule == SafetyRules.YamlMergeKey && f.Line == 7);
        Assert.Equal(SafetyVerdict.Block, report.Verdict);
    }

    [Fact]
    public void Blocks_an_empty_text()
    {
        var report = Gate.Check("");

        Assert.Equal(SafetyRules.PlaybookShape, Assert.Single(report.Findings).Rule);
        Assert.Equal(SafetyVerdict.Block, report.Verdict);
    }
}
