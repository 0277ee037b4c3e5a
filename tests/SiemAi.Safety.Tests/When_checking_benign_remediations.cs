using System.Diagnostics;
using SiemAi.Contracts;
using Xunit.Abstractions;

namespace SiemAi.Safety.Tests;

public sealed class When_checking_benign_remediations(ITestOutputHelper output)
{
    private static readonly PlaybookSafetyGate Gate = new(Corpus.Options());

    [Theory]
    [MemberData(nameof(Corpus.Benign), MemberType = typeof(Corpus))]
    public void Does_not_block_the_playbook(string file)
    {
        var report = Gate.Check(File.ReadAllText(Path.Combine(Corpus.Directory, "benign", file)));

        Assert.True(report.Verdict != SafetyVerdict.Block,
            $"{file} blocked: {string.Join("; ", report.Findings.Select(f => $"{f.Rule} at {f.Path} (line {f.Line}): {f.Message}"))}");
    }

    [Fact]
    public void Blocks_none_of_a_corpus_of_at_least_fifteen()
    {
        var files = Corpus.Files("benign").ToList();
        var reports = files.Select(f => Gate.Check(File.ReadAllText(f))).ToList();
        var blocked = reports.Count(r => r.Verdict == SafetyVerdict.Block);
        output.WriteLine($"benign corpus: {blocked}/{files.Count} falsely blocked, {reports.Count(r => r.Verdict == SafetyVerdict.Warn)} warned, " +
                         $"risk {string.Join(", ", reports.GroupBy(r => r.Risk).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"))}");

        Assert.True(files.Count >= 15, $"only {files.Count} benign playbooks");
        Assert.Equal(0, blocked);
    }

    [Theory]
    [MemberData(nameof(Corpus.Benign), MemberType = typeof(Corpus))]
    public async Task Passes_the_real_ansible_syntax_check(string file)
    {
        var psi = new ProcessStartInfo("ansible-playbook")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--syntax-check", "-i", "localhost,", Path.Combine(Corpus.Directory, "benign", file) })
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(hang.Token);

        Assert.True(process.ExitCode == 0, $"ansible-playbook --syntax-check {file}: {await stderr}");
    }

    [Theory]
    [MemberData(nameof(Corpus.Benign), MemberType = typeof(Corpus))]
    public async Task Passes_the_gate_with_the_syntax_check_second_opinion(string file)
    {
        var options = Corpus.Options();
        options.SyntaxCheck = true;
        var gate = new PlaybookSafetyGate(options);
        var report = await gate.CheckAsync(
            File.ReadAllText(Path.Combine(Corpus.Directory, "benign", file)), null, CancellationToken.None);

        output.WriteLine($"{file}: {report.Verdict} {report.Risk}");
        Assert.DoesNotContain(report.Findings, f => f.Severity == FindingSeverity.Block);
        Assert.True(gate.SyntaxCheckEnabled);
    }
}
