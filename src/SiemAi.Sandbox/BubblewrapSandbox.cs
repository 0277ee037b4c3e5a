using System.Diagnostics;
using System.Text;

namespace SiemAi.Sandbox;

/// <summary>
/// Starts a program under bubblewrap: every namespace unshared (user, pid, ipc, uts, cgroup and, unless the spec
/// shares it, network), no capabilities and no nested user namespaces, a new session, an empty environment apart from the spec's, the system directories
/// read-only with credentials hidden, a private tmpfs <c>/tmp</c>, fresh <c>/proc</c> and <c>/dev</c>, and the
/// spec's work directory as the only writable host directory. The sandbox dies with its parent. Holds no
/// per-call state: one instance serves every caller.
/// </summary>
public sealed class BubblewrapSandbox
{
    private readonly SandboxOptions _options;
    private readonly string? _bwrap;

    public BubblewrapSandbox(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _bwrap = ResolveProgram(options.BwrapPath);
    }

    /// <summary>False when the settings turn isolation off: programs then run with only the spec's environment.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>The bwrap program found for <see cref="SandboxOptions.BwrapPath"/>; null when it is not installed.</summary>
    public string? BwrapProgram => _bwrap;

    /// <summary>
    /// A start description for <paramref name="program"/> in the sandbox. Throws when the sandbox is enabled but
    /// bwrap is missing: a caller must never fall back to running the program unconfined. Start it with
    /// <see cref="ProcessLauncher.Start"/> (see there why).
    /// </summary>
    public ProcessStartInfo Wrap(string program, IEnumerable<string> arguments, SandboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(spec);
        if (!_options.Enabled)
        {
            var plain = new ProcessStartInfo(program) { WorkingDirectory = spec.WorkDirectory, UseShellExecute = false };
            plain.Environment.Clear();
            foreach (var (name, value) in spec.Environment)
            {
                plain.Environment[name] = value;
            }
            foreach (var argument in arguments)
            {
                plain.ArgumentList.Add(argument);
            }
            return plain;
        }

        if (_bwrap is null)
        {
            throw new SandboxUnavailableException(
                $"bubblewrap ('{_options.BwrapPath}', setting {SandboxOptions.SectionName}:{nameof(SandboxOptions.BwrapPath)}) was not found; install the bubblewrap package.");
        }

        var start = new ProcessStartInfo(_bwrap) { UseShellExecute = false, WorkingDirectory = spec.WorkDirectory };
        // bwrap itself needs nothing from the caller's environment either.
        start.Environment.Clear();
        foreach (var argument in BwrapArguments(spec))
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>The bwrap options (before <c>--</c>) for <paramref name="spec"/>: what the sandbox shows and hides.</summary>
    public IReadOnlyList<string> BwrapArguments(SandboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // --cap-drop ALL: started by root, bwrap would otherwise leave the program every capability inside its user
        // namespace, enough to remount a read-only bind writable (and write through it to the host's /usr).
        // --disable-userns: no nested user namespace to regain them in.
        var args = new List<string>
        {
            "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
            "--die-with-parent", "--new-session", "--clearenv",
        };
        if (spec.ShareNetwork)
        {
            args.Add("--share-net");
        }

        foreach (var path in _options.SystemPaths.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                // Merged /usr: /bin -> usr/bin. Recreate the link; the directory it names is bound on its own.
                args.AddRange(["--symlink", target, path]);
            }
            else if (Directory.Exists(path) || File.Exists(path))
            {
                args.AddRange(["--ro-bind", path, path]);
            }
        }

        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/run"]);
        foreach (var path in spec.ReadOnlyPaths.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            // --ro-bind-try: a path that is not there (a key not yet deployed) is simply not shown.
            args.AddRange(["--ro-bind-try", Path.GetFullPath(path), Path.GetFullPath(path)]);
        }
        foreach (var path in spec.WritablePaths.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            args.AddRange(["--bind-try", Path.GetFullPath(path), Path.GetFullPath(path)]);
        }

        // Last, so that no bind above can show a hidden path again.
        foreach (var hidden in Expand(_options.HiddenPaths))
        {
            if (Directory.Exists(hidden))
            {
                args.AddRange(["--tmpfs", hidden, "--remount-ro", hidden]);
            }
            else if (File.Exists(hidden))
            {
                args.AddRange(["--ro-bind", "/dev/null", hidden]);
            }
        }

        var work = Path.GetFullPath(spec.WorkDirectory);
        args.AddRange(["--bind", work, work, "--chdir", work]);
        foreach (var (name, value) in spec.Environment)
        {
            args.AddRange(["--setenv", name, value]);
        }
        return args;
    }

    /// <summary>
    /// Runs <paramref name="program"/> in the sandbox and collects its output (each stream cut at
    /// <paramref name="maxOutputChars"/>). At the timeout or on cancellation the whole process tree is killed;
    /// cancellation is then rethrown, a timeout is reported as <see cref="SandboxResult.TimedOut"/>.
    /// </summary>
    public async Task<SandboxResult> RunAsync(
        string program, IEnumerable<string> arguments, SandboxSpec spec, TimeSpan timeout, CancellationToken ct, int maxOutputChars = 64 * 1024)
    {
        var start = Wrap(program, arguments, spec);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var watch = Stopwatch.StartNew();
        using var process = ProcessLauncher.Start(start);
        process.StandardInput.Close();
        var stdout = ReadCappedAsync(process.StandardOutput, maxOutputChars);
        var stderr = ReadCappedAsync(process.StandardError, maxOutputChars);
        using var deadline = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new SandboxResult(null, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), true, watch.Elapsed);
        }
        return new SandboxResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), false, watch.Elapsed);
    }

    /// <summary>
    /// Proves the sandbox works on this machine (bwrap found, namespaces allowed) by running <c>/usr/bin/true</c>
    /// in it. Null when it works, else what went wrong, for the operator.
    /// </summary>
    public string? Probe()
    {
        if (!_options.Enabled)
        {
            return null;
        }
        if (_bwrap is null)
        {
            return $"bubblewrap ('{_options.BwrapPath}') was not found; install the bubblewrap package or set {SandboxOptions.SectionName}:{nameof(SandboxOptions.BwrapPath)} to the bwrap program.";
        }

        var work = Directory.CreateTempSubdirectory("siemai-sandbox-probe-");
        try
        {
            var result = RunAsync("/usr/bin/true", [], new SandboxSpec { WorkDirectory = work.FullName }, _options.ProbeTimeout, CancellationToken.None)
                .GetAwaiter().GetResult();
            if (result.ExitCode == 0)
            {
                return null;
            }
            var why = result.TimedOut ? $"did not finish within {_options.ProbeTimeout}" : $"exited with {result.ExitCode}: {result.Stderr.Trim()}";
            return $"bubblewrap ('{_bwrap}') cannot create the sandbox on this machine ({why}); user namespaces must be allowed.";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"bubblewrap ('{_bwrap}') could not be started: {ex.Message}.";
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            // bwrap's children are in their own pid namespace and die with it; the tree kill also reaches them directly.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader, int cap)
    {
        var kept = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var room = cap - kept.Length;
            if (room > 0)
            {
                kept.Append(buffer, 0, Math.Min(read, room));
            }
        }
        return kept.ToString();
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths)
    {
        foreach (var path in paths.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            var name = Path.GetFileName(path);
            var dir = Path.GetDirectoryName(path);
            if (!name.Contains('*', StringComparison.Ordinal) || dir is null)
            {
                yield return path;
                continue;
            }
            if (!Directory.Exists(dir))
            {
                continue;
            }
            foreach (var match in Directory.EnumerateFileSystemEntries(dir, name))
            {
                yield return match;
            }
        }
    }

    /// <summary>A bare name is looked up on the service's PATH; a path must exist.</summary>
    internal static string? ResolveProgram(string program)
    {
        if (string.IsNullOrWhiteSpace(program))
        {
            return null;
        }
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
    }
}
