using System.Diagnostics;
using System.Text;
using SiemAi.Contracts;

namespace SiemAi.Safety;

/// <summary>Runs <c>ansible-playbook --syntax-check</c> on a temporary copy of the playbook against a throw-away inventory.</summary>
internal sealed class AnsibleSyntaxChecker
{
    private readonly SafetyOptions _options;
    private readonly string? _program;

    public AnsibleSyntaxChecker(SafetyOptions options)
    {
        _options = options;
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
            return Block(SafetyRules.SyntaxCheckUnavailable, $"ansible-playbook ('{_options.AnsiblePlaybookPath}') was not found, so the second opinion is missing.");
        }

        // Each check is a Python process; more at once than cores only makes every one of them slower.
        await Slots.WaitAsync(ct).ConfigureAwait(false);
        var dir = Directory.CreateTempSubdirectory("siemai-safety-");
        try
        {
            var file = Path.Combine(dir.FullName, "playbook.yml");
            await File.WriteAllTextAsync(file, yaml, new UTF8Encoding(false), ct).ConfigureAwait(false);
            var psi = new ProcessStartInfo(_program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir.FullName,
            };
            foreach (var arg in new[] { "--syntax-check", "-i", "localhost,", file })
            {
                psi.ArgumentList.Add(arg);
            }
            // Keep the check hermetic: no user ansible.cfg, no retry files, no colour codes in the message.
            psi.Environment["ANSIBLE_CONFIG"] = Path.Combine(dir.FullName, "ansible.cfg");
            psi.Environment["ANSIBLE_NOCOLOR"] = "1";
            psi.Environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0";
            psi.Environment["ANSIBLE_LOCAL_TEMP"] = Path.Combine(dir.FullName, "tmp");
            psi.Environment["ANSIBLE_HOME"] = Path.Combine(dir.FullName, "home");

            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {_program}.");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.SyntaxCheckTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested)
                {
                    throw;
                }
                return Block(SafetyRules.SyntaxCheckFailed, $"ansible-playbook --syntax-check did not finish within {_options.SyntaxCheckTimeout}.");
            }
            var output = (await stderr.ConfigureAwait(false)).Trim();
            await stdout.ConfigureAwait(false);
            if (process.ExitCode > 128)
            {
                // Killed by a signal (a shutdown, the OOM killer): no opinion was given, so no verdict either;
                // the command is redelivered and checked again.
                throw new InvalidOperationException($"ansible-playbook --syntax-check was killed by signal {process.ExitCode - 128}.");
            }

            return process.ExitCode == 0
                ? null
                : Block(SafetyRules.SyntaxCheckFailed,
                    $"The rules passed this playbook but ansible-playbook --syntax-check rejects it (exit {process.ExitCode}): {Shorten(output)}");
        }
        finally
        {
            dir.Delete(recursive: true);
            Slots.Release();
        }
    }

    private static SafetyFinding Block(string rule, string message) =>
        new() { Rule = rule, Severity = FindingSeverity.Block, Path = "$", Message = message };

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";

    private static string? Resolve(string program)
    {
        if (Path.IsPathRooted(program) || program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
    }
}
