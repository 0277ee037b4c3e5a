using System.Reflection;
using SiemAi.Contracts;
using Xunit.Abstractions;

namespace SiemAi.Safety.Tests;

/// <summary>
/// The other half of each rule's test pair: <c>Corpus/near-miss/&lt;rule&gt;__&lt;what&gt;.yml</c> is a legitimate playbook as close
/// as possible to a dangerous one, and must not trip that rule. A rule that only ever blocks is as useless to a SOC as one that never does.
/// </summary>
public sealed class When_a_playbook_comes_close_to_a_rule(ITestOutputHelper output)
{
    private static readonly PlaybookSafetyGate Gate = new(Corpus.Options());

    /// <summary>
    /// Rules no dangerous corpus file can show, each with the test that exercises it instead: they depend on the request
    /// (its hash), on the ansible-playbook second opinion, or they only warn and never block.
    /// </summary>
    private static readonly Dictionary<string, string> ExercisedElsewhere = new(StringComparer.Ordinal)
    {
        [SafetyRules.HashMismatch] =
            $"{nameof(When_the_bus_asks_for_a_verdict)}.{nameof(When_the_bus_asks_for_a_verdict.Blocks_bytes_whose_hash_differs_from_the_request)}",
        [SafetyRules.SyntaxCheckFailed] =
            $"{nameof(When_the_bus_asks_for_a_verdict)}.{nameof(When_the_bus_asks_for_a_verdict.Blocks_when_ansible_playbook_disagrees_with_the_rules)}",
        [SafetyRules.SyntaxCheckUnavailable] =
            $"{nameof(When_the_bus_asks_for_a_verdict)}.{nameof(When_the_bus_asks_for_a_verdict.Blocks_when_the_second_opinion_is_required_but_missing)}",
        [SafetyRules.ShellCommand] = $"{nameof(When_a_playbook_comes_close_to_a_rule)}.{nameof(Warns_without_blocking_for_a_rule_that_asks_for_a_closer_look)}",
        [SafetyRules.IgnoresErrors] = $"{nameof(When_a_playbook_comes_close_to_a_rule)}.{nameof(Warns_without_blocking_for_a_rule_that_asks_for_a_closer_look)}",
        [SafetyRules.NoLog] = $"{nameof(When_a_playbook_comes_close_to_a_rule)}.{nameof(Warns_without_blocking_for_a_rule_that_asks_for_a_closer_look)}",
    };

    /// <summary>
    /// Near-miss files where another rule fires by design, so only the named rule's absence is asserted. Empty today:
    /// every near miss passes the gate outright.
    /// </summary>
    private static readonly Dictionary<string, string> AlsoBlockedByDesign = new(StringComparer.Ordinal);

    public static TheoryData<string> NearMisses() => [.. Corpus.Files("near-miss").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void Does_not_report_the_rule_it_nearly_breaks(string file)
    {
        var report = Gate.Check(File.ReadAllText(Path.Combine(Corpus.Directory, "near-miss", file)), Corpus.AlertHosts);
        var rule = Corpus.ExpectedRule(file);
        var findings = string.Join("; ", report.Findings.Select(f => $"{f.Rule}/{f.Severity} at {f.Path} (line {f.Line}): {f.Message}"));
        output.WriteLine($"{file}: {report.Verdict}, risk {report.Risk}; {findings}");

        Assert.True(report.Findings.All(f => f.Rule != rule), $"{file} still reports {rule}: {findings}");
        if (!AlsoBlockedByDesign.ContainsKey(file))
        {
            Assert.True(report.Verdict != SafetyVerdict.Block, $"{file} is blocked: {findings}");
        }
    }

    /// <summary>A near miss only counts if Ansible itself reads it as a playbook; otherwise it proves nothing about the rule.</summary>
    [Theory]
    [MemberData(nameof(NearMisses))]
    public async Task Is_a_playbook_that_ansible_playbook_accepts(string file)
    {
        var options = Corpus.Options();
        options.SyntaxCheck = true;
        var gate = new PlaybookSafetyGate(options);
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var report = await gate.CheckAsync(File.ReadAllText(Path.Combine(Corpus.Directory, "near-miss", file)), Corpus.AlertHosts, hang.Token);

        Assert.True(gate.SyntaxCheckEnabled);
        Assert.DoesNotContain(report.Findings, f => f.Rule is SafetyRules.SyntaxCheckFailed or SafetyRules.SyntaxCheckUnavailable);
        Assert.DoesNotContain(report.Findings, f => f.Rule == Corpus.ExpectedRule(file));
    }

    [Fact]
    public void Has_a_near_miss_for_every_rule_the_dangerous_corpus_shows()
    {
        var dangerous = Corpus.Files("dangerous").Select(Corpus.ExpectedRule).ToHashSet(StringComparer.Ordinal);
        var nearMiss = Corpus.Files("near-miss").Select(Corpus.ExpectedRule).ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"{dangerous.Count} rules in the dangerous corpus, {nearMiss.Count} with a near miss");

        Assert.Empty(dangerous.Except(nearMiss).Order(StringComparer.Ordinal));
        // A near miss for a rule nothing triggers would be half a pair too.
        Assert.Empty(nearMiss.Except(dangerous).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Covers_every_rule_id_with_a_dangerous_file_or_a_named_test()
    {
        var ids = typeof(SafetyRules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var dangerous = Corpus.Files("dangerous").Select(Corpus.ExpectedRule).ToHashSet(StringComparer.Ordinal);

        Assert.True(ids.Count >= 30, $"only {ids.Count} rule ids");
        Assert.Empty(ids.Where(id => !dangerous.Contains(id) && !ExercisedElsewhere.ContainsKey(id)).Order(StringComparer.Ordinal));
        // A rule listed here that the corpus now shows should leave the list, so the list keeps telling the truth.
        Assert.Empty(ExercisedElsewhere.Keys.Where(dangerous.Contains).Order(StringComparer.Ordinal));
        Assert.Empty(ExercisedElsewhere.Keys.Except(ids).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(SafetyRules.ShellCommand, "ansible.builtin.shell: ss -tnp | grep ESTAB\n      changed_when: false")]
    [InlineData(SafetyRules.IgnoresErrors, "ansible.builtin.file:\n        path: /tmp/x\n        state: absent\n      ignore_errors: true")]
    [InlineData(SafetyRules.NoLog, "ansible.builtin.file:\n        path: /tmp/x\n        state: absent\n      no_log: true")]
    public void Warns_without_blocking_for_a_rule_that_asks_for_a_closer_look(string rule, string task)
    {
        var yaml = $"- name: Review me\n  hosts: web01\n  become: true\n  gather_facts: false\n  tasks:\n    - name: Task\n      {task}\n";

        var options = Corpus.Options();
        // Literal command lines are a widening an operator opts into; the shipped profile blocks them.
        options.AllowLiteralShellCommands = rule == SafetyRules.ShellCommand;
        var report = new PlaybookSafetyGate(options).Check(yaml, Corpus.AlertHosts);

        Assert.Equal(SafetyVerdict.Warn, report.Verdict);
        var finding = Assert.Single(report.Findings, f => f.Rule == rule);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("tasks[0]", finding.Path, StringComparison.Ordinal);
    }
}
