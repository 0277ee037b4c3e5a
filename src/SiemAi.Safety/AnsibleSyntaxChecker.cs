using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SiemAi.Contracts;
using SiemAi.Sandbox;

namespace SiemAi.Safety;

/// <summary>
/// Runs <c>ansible-playbook --syntax-check</c> on a temporary copy of the playbook against a throw-away inventory,
/// inside the bubblewrap sandbox: no network, an empty environment (no database, broker or API secrets to read),
/// the system read-only, a private <c>/tmp</c> and no plugin directories. ansible renders play keywords while it
/// checks, so the playbook's templates do run here; the sandbox is what keeps them from reaching anything.
/// ansible's own error text never leaves this class: it may hold whatever the playbook computed. A rejection is
/// reported as one of <see cref="SyntaxCheckReasons"/> and the line ansible names.
/// </summary>
internal sealed partial class AnsibleSyntaxChecker
{
    /// <summary>What the environment inside the sandbox holds, in full.</summary>
    internal const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly SafetyOptions _options;
    private readonly BubblewrapSandbox _sandbox;
    private readonly string? _program;

    public AnsibleSyntaxChecker(SafetyOptions options, BubblewrapSandbox sandbox)
    {
        _options = options;
        _sandbox = sandbox;
        _program = Resolve(options.AnsiblePlaybookPath);
        Enabled = options.SyntaxCheck ?? _program is not null;
    }

    public bool Enabled { get; }

    private static readonly SemaphoreSlim Slots = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Null when ansible-playbook accepts the playbook; otherwise the blocking finding.</summary>
    public async Task<SafetyFinding?> CheckAsync(string yaml, CancellationToken ct)
    {
        if (_program is null)
        {
            // Configured on but missing: failing closed is the only answer a gate can give.
            return Block(SafetyRules.SyntaxCheckUnavailable, $"ansible-playbook ('{_options.AnsiblePlaybookPath}') was not found, so the second opinion is missing.", null);
        }
        if (_sandbox.Enabled && _sandbox.BwrapProgram is null)
        {
            return Block(SafetyRules.SyntaxCheckUnavailable,
                $"The syntax check runs only in the sandbox, and bubblewrap was not found (setting {SandboxOptions.SectionName}:{nameof(SandboxOptions.BwrapPath)}).", null);
        }

        // Each check is a Python process; more at once than cores only makes every one of them slower.
        await Slots.WaitAsync(ct).ConfigureAwait(false);
        var dir = Directory.CreateTempSubdirectory("siemai-safety-");
        try
        {
            var work = dir.FullName;
            var file = Path.Combine(work, "playbook.yml");
            await File.WriteAllTextAsync(file, yaml, new UTF8Encoding(false), ct).ConfigureAwait(false);
            var empty = Directory.CreateDirectory(Path.Combine(work, "empty")).FullName;
            var home = Directory.CreateDirectory(Path.Combine(work, "home")).FullName;
            var temp = Directory.CreateDirectory(Path.Combine(work, "tmp")).FullName;
            // Our own (empty) ansible.cfg, so neither /etc/ansible/ansible.cfg nor one in a parent directory applies.
            var config = Path.Combine(work, "ansible.cfg");
            await File.WriteAllTextAsync(config, "[defaults]\n", ct).ConfigureAwait(false);

            var spec = new SandboxSpec
            {
                WorkDirectory = work,
                ReadOnlyPaths = OutsideSystem(_program),
                Environment = new Dictionary<string, string>
                {
                    ["PATH"] = SearchPath,
                    ["HOME"] = home,
                    ["LANG"] = "C.UTF-8",
                    ["TMPDIR"] = temp,
                    ["ANSIBLE_CONFIG"] = config,
                    ["ANSIBLE_HOME"] = home,
                    ["ANSIBLE_LOCAL_TEMP"] = temp,
                    ["ANSIBLE_REMOTE_TEMP"] = temp,
                    ["ANSIBLE_NOCOLOR"] = "1",
                    ["ANSIBLE_FORCE_COLOR"] = "0",
                    ["ANSIBLE_RETRY_FILES_ENABLED"] = "0",
                    // Only the plugins that ship with ansible: none from /usr/share/ansible or a user directory.
                    ["ANSIBLE_LOOKUP_PLUGINS"] = empty,
                    ["ANSIBLE_FILTER_PLUGINS"] = empty,
                    ["ANSIBLE_TEST_PLUGINS"] = empty,
                    ["ANSIBLE_ACTION_PLUGINS"] = empty,
                    ["ANSIBLE_CALLBACK_PLUGINS"] = empty,
                    ["ANSIBLE_VARS_PLUGINS"] = empty,
                    ["ANSIBLE_LIBRARY"] = empty,
                    ["ANSIBLE_MODULE_UTILS"] = empty,
                    ["ANSIBLE_ROLES_PATH"] = empty,
                },
            };

            SandboxResult result;
            try
            {
                result = await _sandbox.RunAsync(_program, ["--syntax-check", "-i", "localhost,", file], spec, _options.SyntaxCheckTimeout, ct)
                    .ConfigureAwait(false);
            }
            catch (SandboxUnavailableException)
            {
                return Block(SafetyRules.SyntaxCheckUnavailable,
                    $"The syntax check runs only in the sandbox, and bubblewrap was not found (setting {SandboxOptions.SectionName}:{nameof(SandboxOptions.BwrapPath)}).", null);
            }

            if (result.TimedOut)
            {
                return Rejected(SyntaxCheckReasons.Timeout, null,
                    $"ansible-playbook --syntax-check did not finish within {_options.SyntaxCheckTimeout}");
            }
            if (result.ExitCode > 128)
            {
                // Killed by a signal (a shutdown, the OOM killer): no opinion was given, so no verdict either;
                // the command is redelivered and checked again.
                throw new InvalidOperationException($"ansible-playbook --syntax-check was killed by signal {result.ExitCode - 128}.");
            }
            if (result.ExitCode == 0)
            {
                return null;
            }
            if (result.Stderr.StartsWith("bwrap: ", StringComparison.Ordinal))
            {
                // bwrap's own complaint comes before anything of the playbook runs; still, only a fixed text goes out.
                return Block(SafetyRules.SyntaxCheckUnavailable,
                    "The syntax check runs only in the sandbox, and bubblewrap could not create it on this host (see the service's start-up check, docs/sandbox.md).", null);
            }

            var (reason, line) = Classify(result.Stderr, file, yaml);
            return Rejected(reason, line, $"ansible-playbook --syntax-check rejects it (exit {result.ExitCode})");
        }
        finally
        {
            dir.Delete(recursive: true);
            Slots.Release();
        }
    }

    /// <summary>
    /// Sorts ansible's error text into a fixed reason and takes the line from its "The error appears to be in
    /// '&lt;our file&gt;': line N" sentence (ignored unless it names a line of the file). Nothing else of the text is kept.
    /// </summary>
    internal static (string Reason, int? Line) Classify(string stderr, string file, string yaml)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var error = stderr;
        var at = stderr.IndexOf("ERROR!", StringComparison.Ordinal);
        if (at >= 0)
        {
            error = stderr[at..];
        }

        var reason = error switch
        {
            _ when Has(error, "Syntax Error while loading YAML") || Has(error, "unable to read either as JSON nor YAML") => SyntaxCheckReasons.YamlSyntax,
            _ when Has(error, "is not a valid attribute for a") => SyntaxCheckReasons.UnknownKeyword,
            _ when Has(error, "couldn't resolve module/action") => SyntaxCheckReasons.UnknownModule,
            _ when Has(error, "lookup plugin") || Has(error, "while templating") || Has(error, "template error")
                || Has(error, "undefined variable") || Has(error, "is undefined") || Has(error, "TemplateSyntaxError") => SyntaxCheckReasons.TemplateError,
            _ when Has(error, "A playbook must be a list of plays") || Has(error, "is required but was not set")
                || Has(error, "conflicting action statements") || Has(error, "no module/action detected in task")
                || Has(error, "A malformed") || Has(error, "must be a list") || Has(error, "must be a mapping")
                || Has(error, "should be a list") => SyntaxCheckReasons.PlaybookStructure,
            _ when Has(error, "has an invalid value") || Has(error, "could not be converted") || Has(error, "is not a valid")
                || Has(error, "Invalid options for") || Has(error, "Unsupported parameters") => SyntaxCheckReasons.BadValue,
            _ when Has(error, "Could not find or access") || Has(error, "Unable to retrieve file contents") => SyntaxCheckReasons.MissingFile,
            _ => SyntaxCheckReasons.Other,
        };

        int? line = null;
        var where = $"The error appears to be in '{file}': line ";
        var start = error.IndexOf(where, StringComparison.Ordinal);
        if (start >= 0)
        {
            var digits = LeadingDigits().Match(error, start + where.Length);
            var lines = yaml.Count(c => c == '\n') + 1;
            if (digits.Success && int.TryParse(digits.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= lines)
            {
                line = n;
            }
        }
        return (reason, line);
    }

    [GeneratedRegex(@"\G[0-9]{1,7}(?=, column [0-9]+)")]
    private static partial Regex LeadingDigits();

    private static bool Has(string text, string phrase) => text.Contains(phrase, StringComparison.Ordinal);

    private static SafetyFinding Rejected(string reason, int? line, string what) =>
        Block(SafetyRules.SyntaxCheckFailed,
            $"The rules passed this playbook but {what}: {reason}{(line is { } n ? $" at line {n.ToString(CultureInfo.InvariantCulture)}" : "")}. " +
            "ansible's own message is not shown: it could carry text the playbook computed.",
            line);

    private static SafetyFinding Block(string rule, string message, int? line) =>
        new() { Rule = rule, Severity = FindingSeverity.Block, Path = "$", Message = message, Line = line };

    /// <summary>
    /// An ansible-playbook outside /usr (a virtualenv: <c>/opt/ansible/bin/ansible-playbook</c>) is shown read-only
    /// with its installation (<c>/opt/ansible</c>), so the Python packages next to it are found.
    /// </summary>
    private static IReadOnlyList<string> OutsideSystem(string program)
    {
        var full = Path.GetFullPath(program);
        if (full.StartsWith("/usr/", StringComparison.Ordinal))
        {
            return [];
        }
        var bin = Path.GetDirectoryName(full)!;
        return [Path.GetFileName(bin) == "bin" && Path.GetDirectoryName(bin) is { Length: > 1 } prefix ? prefix : bin];
    }

    private static string? Resolve(string program)
    {
        if (Path.IsPathRooted(program) || program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }
        return SearchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>The only words a syntax-check rejection is reported in (with a line number): a fixed set, never ansible's text.</summary>
public static class SyntaxCheckReasons
{
    public const string YamlSyntax = "yaml-syntax";
    public const string PlaybookStructure = "playbook-structure";
    public const string UnknownKeyword = "unknown-keyword";
    public const string UnknownModule = "unknown-module";
    public const string BadValue = "bad-value";
    public const string TemplateError = "template-error";
    public const string MissingFile = "missing-file";
    public const string Timeout = "timeout";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } =
        [YamlSyntax, PlaybookStructure, UnknownKeyword, UnknownModule, BadValue, TemplateError, MissingFile, Timeout, Other];
}
