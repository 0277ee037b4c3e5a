using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.Sandbox;

namespace SiemAi.Runner;

/// <summary>
/// Runs one approved playbook with the real <c>ansible-playbook</c>: <c>--check --diff</c> by default,
/// without <c>--check</c> only for an enabled and separately approved Apply. Before anything starts it
/// re-hashes the bytes it was given and checks the incident's audit stream; a run gets a fresh 0700 directory
/// with only the playbook, the inventory and our ansible.cfg, an empty environment apart from PATH, HOME
/// (that directory), LANG and our ANSIBLE_* settings, a wall-clock limit and a slot under the concurrency limit.
/// ansible-playbook runs in the bubblewrap sandbox (docs/sandbox.md): the system read-only, the run directory
/// and <see cref="RunnerOptions.SandboxReadOnlyPaths"/> as the only other host files, a private /tmp, its own
/// pid namespace, and no network at all unless the inventory needs it (<see cref="RunnerOptions.SharesNetwork"/>).
/// </summary>
public sealed class AnsibleRunner : IDisposable
{
    private readonly RunnerOptions options;
    private readonly RunApprovalCheck approvals;
    private readonly ILogger<AnsibleRunner> logger;
    private readonly SemaphoreSlim slots;
    private readonly OutputArchive archive;
    private readonly PlaybookLibrary library;
    private readonly BubblewrapSandbox sandbox;

    /// <summary>A runner whose ansible-playbook runs in the default sandbox (bwrap from PATH, required).</summary>
    public AnsibleRunner(IOptions<RunnerOptions> options, RunApprovalCheck approvals, ILogger<AnsibleRunner> logger)
        : this(options, approvals, logger, new BubblewrapSandbox(new SandboxOptions()))
    {
    }

    public AnsibleRunner(IOptions<RunnerOptions> options, RunApprovalCheck approvals, ILogger<AnsibleRunner> logger, BubblewrapSandbox sandbox)
    {
        this.sandbox = sandbox;
        this.options = options.Value;
        this.approvals = approvals;
        this.logger = logger;
        slots = new SemaphoreSlim(this.options.MaxConcurrentRuns, this.options.MaxConcurrentRuns);
        archive = new OutputArchive(this.options.OutputArchivePath);
        library = new PlaybookLibrary(this.options.LibraryPath);
    }

    /// <summary>Checks, then runs; never throws for a refusal or a failed run (they are outcomes), only for cancellation.</summary>
    public async Task<RunOutcome> RunAsync(RunPlaybook command, CancellationToken ct = default)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["IncidentId"] = command.IncidentId, ["RunId"] = command.RunId, ["Mode"] = command.Mode,
        });

        var actual = PlaybookHash.Of(command.PlaybookYaml);
        if (!string.Equals(actual, command.PlaybookSha256, StringComparison.Ordinal))
        {
            return Refuse(command, $"playbook bytes hash to {actual}, not the approved {command.PlaybookSha256}; refusing to run changed content");
        }

        if (command.Mode == RunMode.Apply && !options.AllowApply)
        {
            return Refuse(command, "apply mode is disabled on this runner (RUNNER_ALLOW_APPLY is off); only check runs are allowed");
        }

        RunApproval approval;
        try
        {
            approval = await approvals.CheckAsync(command.IncidentId, command.PlaybookSha256, command.Mode, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogError(ex, "Could not read the audit stream to check approvals");
            return Fail(command, $"could not read the incident's approvals from the event store: {ex.Message}", retryable: true);
        }

        if (!approval.Allowed)
        {
            return Refuse(command, approval.Reason ?? "not approved");
        }

        await library.ArchiveAsync(command, approval, ct);

        await slots.WaitAsync(ct);
        try
        {
            return await ExecuteAsync(command, ct);
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();

    private async Task<RunOutcome> ExecuteAsync(RunPlaybook command, CancellationToken ct)
    {
        var program = ResolveProgram(options.AnsiblePlaybook, options.SearchPath);
        if (program is null)
        {
            return Fail(command, $"ansible-playbook is not installed: '{options.AnsiblePlaybook}' was not found on {options.SearchPath}", retryable: true);
        }

        var workRoot = string.IsNullOrEmpty(options.WorkRoot) ? Path.GetTempPath() : options.WorkRoot;
        // A new name per run (not the run id: a redelivered command must not meet its predecessor's files).
        var work = Path.Combine(workRoot, $"siemai-run-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(work);
        }
        else
        {
            Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        try
        {
            ProcessStartInfo start;
            try
            {
                start = await PrepareAsync(command, program, work, ct);
            }
            catch (SandboxUnavailableException ex)
            {
                logger.LogError(ex, "The sandbox is required but unavailable");
                return Fail(command, $"ansible-playbook runs only in the sandbox, and it is unavailable on this runner: {ex.Message}", retryable: true);
            }

            var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            logger.LogInformation("Starting {Program} for playbook {PlaybookSha256} in {Mode} mode", program, command.PlaybookSha256, command.Mode);
            ProcessRun run;
            try
            {
                run = await AnsibleProcess.RunAsync(start, timeout, options.MaxStdoutBytes, options.MaxStderrBytes, $"HOME={work}", logger, ct);
            }
            catch (Win32Exception ex)
            {
                logger.LogError(ex, "Could not start {Program}", program);
                return Fail(command, $"ansible-playbook could not be started ({program}): {ex.Message}", retryable: true);
            }

            if (run.ExitCode is { } code && code != 0 && run.Stdout.Length == 0 && Encoding.UTF8.GetString(run.Stderr).StartsWith("bwrap: ", StringComparison.Ordinal))
            {
                // The sandbox itself could not be built: nothing of the playbook ran. Another runner (or this one,
                // once the host is fixed) can take the command again.
                logger.LogError("bubblewrap could not create the run's sandbox: {Error}", Encoding.UTF8.GetString(run.Stderr).Trim());
                return Fail(command, "ansible-playbook's sandbox could not be created on this runner (bubblewrap failed; see the runner's log and docs/sandbox.md)", retryable: true);
            }

            return await ReportAsync(command, run, work, ct);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not remove the run directory {WorkDirectory}", work);
            }
        }
    }

    private async Task<ProcessStartInfo> PrepareAsync(RunPlaybook command, string program, string work, CancellationToken ct)
    {
        // The exact bytes that were hashed, nothing re-encoded.
        var playbook = Path.Combine(work, "playbook.yml");
        await File.WriteAllBytesAsync(playbook, Encoding.UTF8.GetBytes(command.PlaybookYaml), ct);

        var inventoryDir = Path.Combine(work, "inventory");
        string inventory;
        if (Directory.Exists(options.InventoryPath))
        {
            CopyDirectory(options.InventoryPath, inventoryDir);
            inventory = inventoryDir;
        }
        else
        {
            Directory.CreateDirectory(inventoryDir);
            inventory = Path.Combine(inventoryDir, Path.GetFileName(options.InventoryPath));
            File.Copy(options.InventoryPath, inventory);
        }

        var localTemp = Path.Combine(work, ".ansible", "tmp");
        Directory.CreateDirectory(localTemp);
        var config = Path.Combine(work, "ansible.cfg");
        var hostKeyChecking = options.Lab ? "False" : "True";
        await File.WriteAllTextAsync(config, string.Join('\n',
            "[defaults]",
            "stdout_callback = json",
            "callbacks_enabled =",
            $"host_key_checking = {hostKeyChecking}",
            "retry_files_enabled = False",
            "nocows = True",
            "interpreter_python = auto_silent",
            $"forks = {options.Forks.ToString(CultureInfo.InvariantCulture)}",
            $"local_tmp = {localTemp}",
            $"roles_path = {Path.Combine(work, "roles")}",
            "",
            "[ssh_connection]",
            "pipelining = True",
            ""), ct);

        var environment = new Dictionary<string, string>
        {
            ["PATH"] = options.SearchPath,
            ["HOME"] = work,
            ["LANG"] = options.Language,
            ["ANSIBLE_CONFIG"] = config,
            ["ANSIBLE_STDOUT_CALLBACK"] = "json",
            ["ANSIBLE_HOST_KEY_CHECKING"] = hostKeyChecking,
            ["ANSIBLE_LOCAL_TEMP"] = localTemp,
            ["ANSIBLE_RETRY_FILES_ENABLED"] = "False",
            ["ANSIBLE_NOCOLOR"] = "True",
            ["ANSIBLE_FORCE_COLOR"] = "False",
        };
        var arguments = new List<string> { "-i", inventory };
        if (command.Mode != RunMode.Apply)
        {
            arguments.Add("--check");
        }

        arguments.Add("--diff");
        arguments.Add(playbook);
        var spec = new SandboxSpec
        {
            WorkDirectory = work,
            Environment = environment,
            ReadOnlyPaths = [.. options.SandboxReadOnlyPaths, .. Installation(program)],
            // Only an approved Apply may change the host, and only where the operator allowed it.
            WritablePaths = command.Mode == RunMode.Apply ? options.SandboxWritablePaths : [],
            ShareNetwork = options.SharesNetwork,
        };
        var start = sandbox.Wrap(program, arguments, spec);
        start.WorkingDirectory = work;
        return start;
    }

    private async Task<RunOutcome> ReportAsync(RunPlaybook command, ProcessRun run, string work, CancellationToken ct)
    {
        var (outputSha, outputPath) = await archive.StoreAsync(run.Stdout, run.Stderr, ct);
        var duration = (run.EndedAt - run.StartedAt).TotalSeconds;
        var observed = new RunOutcome
        {
            AnsibleStarted = true,
            StartedAt = run.StartedAt,
            EndedAt = run.EndedAt,
            WorkDirectory = work,
            OutputPath = outputPath,
            OutputSha256 = outputSha,
        };

        if (run.TimedOut)
        {
            logger.LogWarning("Run of playbook {PlaybookSha256} killed at the {TimeoutSeconds} s timeout; partial output {OutputSha256}", command.PlaybookSha256, options.TimeoutSeconds, outputSha);
            return observed with
            {
                Failed = Failed(command, $"ansible-playbook exceeded the {options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s timeout and its process tree was killed (partial output sha256 {outputSha})", retryable: false),
            };
        }

        if (run.StdoutTruncated)
        {
            return observed with
            {
                Failed = Failed(command, $"ansible-playbook printed more than Runner:MaxStdoutBytes ({options.MaxStdoutBytes} bytes); the report is incomplete (partial output sha256 {outputSha})", retryable: false),
            };
        }

        var report = AnsibleJsonReport.TryParse(run.Stdout, options.MaxDiffChars, options.MaxResultJsonChars);
        if (report is null)
        {
            var stderr = Encoding.UTF8.GetString(run.Stderr).Trim();
            var tail = stderr.Length > 2000 ? stderr[^2000..] : stderr;
            logger.LogWarning("ansible-playbook exited with {ExitCode} without a JSON report", run.ExitCode);
            return observed with
            {
                Failed = Failed(command, $"ansible-playbook exited with code {run.ExitCode} without a report: {tail}", retryable: false),
            };
        }

        var succeeded = run.ExitCode == 0 && report.Hosts.All(h => h.Failed == 0 && h.Unreachable == 0);
        logger.LogInformation(
            "Run of playbook {PlaybookSha256} ended with exit code {ExitCode} in {DurationSeconds:0.00} s: {HostCount} host(s), succeeded {Succeeded}, output {OutputSha256}",
            command.PlaybookSha256, run.ExitCode, duration, report.Hosts.Count, succeeded, outputSha);
        return observed with
        {
            Completed = new PlaybookRunCompleted
            {
                IncidentId = command.IncidentId,
                Timestamp = DateTimeOffset.UtcNow,
                RunId = command.RunId,
                PlaybookSha256 = command.PlaybookSha256,
                Mode = command.Mode,
                Succeeded = succeeded,
                ExitCode = run.ExitCode ?? -1,
                Hosts = report.Hosts,
                OutputSha256 = outputSha,
                ResultJson = report.ResultJson,
                DurationSeconds = duration,
            },
        };
    }

    private RunOutcome Refuse(RunPlaybook command, string reason)
    {
        logger.LogWarning("Refused to run playbook {PlaybookSha256}: {Reason}", command.PlaybookSha256, reason);
        return new RunOutcome { Failed = Failed(command, reason, retryable: false) with { Refused = true } };
    }

    private static RunOutcome Fail(RunPlaybook command, string reason, bool retryable) =>
        new() { Failed = Failed(command, reason, retryable) };

    private static PlaybookRunFailed Failed(RunPlaybook command, string reason, bool retryable) => new()
    {
        IncidentId = command.IncidentId,
        Timestamp = DateTimeOffset.UtcNow,
        RunId = command.RunId,
        Mode = command.Mode,
        Reason = reason,
        Retryable = retryable,
        Attempt = command.Attempt,
    };

    private static string? ResolveProgram(string program, string searchPath)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        return searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>An ansible-playbook outside /usr (a virtualenv) is shown read-only with its installation directory.</summary>
    private static IEnumerable<string> Installation(string program)
    {
        if (program.StartsWith("/usr/", StringComparison.Ordinal))
        {
            return [];
        }

        var bin = Path.GetDirectoryName(program)!;
        return [Path.GetFileName(bin) == "bin" && Path.GetDirectoryName(bin) is { Length: > 1 } prefix ? prefix : bin];
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
