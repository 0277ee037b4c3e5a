using System.CommandLine;
using System.Text.Json;
using SiemAi.Cli.Safety;

namespace SiemAi.Safety.Tests;

/// <summary>Runs <c>siemai safety check</c> through the command-line parser, capturing what the operator would see.</summary>
public sealed class When_an_operator_runs_safety_check
{
    private static readonly string Benign = Path.Combine(Corpus.Directory, "benign", "remove-rogue-ssh-key.yml");
    private static readonly string Dangerous = Path.Combine(Corpus.Directory, "dangerous", "check-mode-disabled__task-check-mode-no.yml");

    [Fact]
    public async Task Exits_zero_and_prints_pass_for_a_safe_playbook()
    {
        var (exit, stdout, _) = await Run("safety", "check", Benign);

        Assert.Equal(0, exit);
        Assert.StartsWith($"{Benign}: PASS (risk high)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_three_and_prints_one_json_line_per_file_when_one_blocks()
    {
        var (exit, stdout, _) = await Run("safety", "check", Benign, Dangerous, "--json");

        Assert.Equal(3, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("pass", first.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(SiemAi.Contracts.PlaybookHash.Of(File.ReadAllText(Benign)), first.RootElement.GetProperty("sha256").GetString());
        Assert.Equal("block", second.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("critical", second.RootElement.GetProperty("risk").GetString());
        var finding = second.RootElement.GetProperty("findings")[0];
        Assert.Equal("check-mode-disabled", finding.GetProperty("rule").GetString());
        Assert.Equal(10, finding.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Blocks_hosts_outside_the_allowed_list()
    {
        var (exit, stdout, _) = await Run("safety", "check", Benign, "--allowed-hosts", "db01,dbservers");

        Assert.Equal(3, exit);
        Assert.Contains("hosts-not-allowed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_two_for_a_file_that_does_not_exist()
    {
        var (exit, _, stderr) = await Run("safety", "check", Benign, "/nonexistent/playbook.yml");

        Assert.Equal(2, exit);
        Assert.Contains("/nonexistent/playbook.yml: cannot read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_two_without_files()
    {
        var (exit, _, stderr) = await Run("safety", "check");

        Assert.Equal(2, exit);
        Assert.Contains("at least one playbook FILE", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        var root = new RootCommand("siemai");
        root.Subcommands.Add(SafetyCommand.Create());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
