using SiemAi.Contracts;
using Xunit.Abstractions;

namespace SiemAi.Safety.Tests;

public sealed class When_checking_the_dangerous_corpus(ITestOutputHelper output)
{
    private static readonly PlaybookSafetyGate Gate = new(Corpus.Options());

    [Theory]
    [MemberData(nameof(Corpus.Dangerous), MemberType = typeof(Corpus))]
    public void Blocks_the_playbook_by_its_expected_rule(string file)
    {
        var report = Gate.Check(File.ReadAllText(Path.Combine(Corpus.Directory, "dangerous", file)), Corpus.AlertHosts);

        var expected = Corpus.ExpectedRule(file);
        Assert.Equal(SafetyVerdict.Block, report.Verdict);
        Assert.Equal(RiskLevel.Critical, report.Risk);
        Assert.Contains(report.Findings, f => f.Rule == expected && f.Severity == FindingSeverity.Block);
    }

    [Fact]
    public void Detects_every_file_of_a_corpus_of_at_least_forty()
    {
        var files = Corpus.Files("dangerous").ToList();
        var detected = files.Count(f =>
            Gate.Check(File.ReadAllText(f), Corpus.AlertHosts).Findings.Any(x => x.Rule == Corpus.ExpectedRule(f) && x.Severity == FindingSeverity.Block));
        var rules = files.Select(Corpus.ExpectedRule).Distinct().Count();
        output.WriteLine($"dangerous corpus: {detected}/{files.Count} blocked by the expected rule ({rules} distinct rules)");

        Assert.True(files.Count >= 40, $"only {files.Count} dangerous playbooks");
        Assert.Equal(files.Count, detected);
    }
}
