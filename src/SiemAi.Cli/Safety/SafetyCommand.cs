using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using SiemAi.Contracts;
using SiemAi.Safety;

namespace SiemAi.Cli.Safety;

/// <summary>
/// <c>siemai safety check FILE... [--allowed-hosts g1,g2] [--json]</c>: runs the safety gate (rules plus the
/// ansible-playbook syntax check when it is installed) on playbook files. Exit 0 = none blocked, 3 = at least one
/// blocked, 2 = a file could not be checked (missing, unreadable) or no file was given.
/// </summary>
public static class SafetyCommand
{
    public const int ExitPassed = 0;
    public const int ExitUsage = 2;
    public const int ExitBlocked = 3;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Playbook files to check.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var allowedHosts = new Option<string?>("--allowed-hosts")
        {
            Description = "Comma-separated hosts and groups the playbooks may target (the alert's asset and groups).",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per file (JSON lines).",
        };

        var check = new Command("check", "Check playbook files with the safety gate.");
        check.Arguments.Add(files);
        check.Options.Add(allowedHosts);
        check.Options.Add(json);
        check.SetAction((parseResult, ct) => RunAsync(
            parseResult.GetValue(files) ?? [],
            Split(parseResult.GetValue(allowedHosts)),
            parseResult.GetValue(json),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            ct));

        var safety = new Command("safety", "The playbook safety gate.");
        safety.Subcommands.Add(check);
        return safety;
    }

    private static async Task<int> RunAsync(string[] files, IReadOnlyCollection<string> allowedHosts, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (files.Length == 0)
        {
            await error.WriteLineAsync("siemai safety check: give at least one playbook FILE.").ConfigureAwait(false);
            return ExitUsage;
        }
        var gate = new PlaybookSafetyGate(new SafetyOptions());
        var exit = ExitPassed;
        foreach (var file in files)
        {
            string yaml;
            try
            {
                yaml = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // One unreadable file must not hide the verdicts on the others; report it and go on.
                await (json
                    ? output.WriteLineAsync(JsonSerializer.Serialize(new { file, error = ex.Message }, Json))
                    : error.WriteLineAsync($"{file}: cannot read: {ex.Message}")).ConfigureAwait(false);
                exit = ExitUsage;
                continue;
            }
            var report = await gate.CheckAsync(yaml, allowedHosts, ct).ConfigureAwait(false);
            if (report.Verdict == SafetyVerdict.Block && exit == ExitPassed)
            {
                exit = ExitBlocked;
            }
            await (json ? output.WriteLineAsync(ToJson(file, yaml, report)) : WriteTextAsync(output, file, report)).ConfigureAwait(false);
        }
        return exit;
    }

    private static string ToJson(string file, string yaml, SafetyReport report) => JsonSerializer.Serialize(new
    {
        file,
        sha256 = PlaybookHash.Of(yaml),
        verdict = report.Verdict,
        risk = report.Risk,
        findings = report.Findings.Select(f => new { rule = f.Rule, severity = f.Severity, path = f.Path, line = f.Line, message = f.Message }),
    }, Json);

    private static async Task WriteTextAsync(TextWriter output, string file, SafetyReport report)
    {
        await output.WriteLineAsync($"{file}: {report.Verdict.ToString().ToUpperInvariant()} (risk {report.Risk.ToString().ToLowerInvariant()})").ConfigureAwait(false);
        foreach (var f in report.Findings)
        {
            var line = f.Line is { } l ? $"line {l}" : "-";
            await output.WriteLineAsync($"  {f.Severity.ToString().ToLowerInvariant(),-7} {f.Rule,-26} {line,-9} {f.Path}: {f.Message}").ConfigureAwait(false);
        }
    }

    private static string[] Split(string? hosts) =>
        hosts is null ? [] : hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
