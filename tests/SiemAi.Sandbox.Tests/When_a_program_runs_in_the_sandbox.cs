using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SiemAi.Sandbox.Tests;

public sealed class When_a_program_runs_in_the_sandbox : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly BubblewrapSandbox sandbox = new(new SandboxOptions());
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("siemai-sandbox-test-");

    private string Work => Directory.CreateDirectory(Path.Combine(root.FullName, "work")).FullName;

    private Task<SandboxResult> Shell(string script, SandboxSpec? spec = null, BubblewrapSandbox? with = null) =>
        (with ?? sandbox).RunAsync("/bin/sh", ["-c", script], spec ?? new SandboxSpec { WorkDirectory = Work }, Timeout, CancellationToken.None);

    [Fact]
    public async Task Sees_only_the_environment_it_is_given()
    {
        var canary = $"canary-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable("SIEMAI_SANDBOX_CANARY", canary);
        try
        {
            var result = await Shell("env", new SandboxSpec
            {
                WorkDirectory = Work,
                Environment = new Dictionary<string, string> { ["LANG"] = "C.UTF-8", ["HOME"] = Work },
            });

            Assert.Equal(0, result.ExitCode);
            Assert.DoesNotContain(canary, result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("SIEMAI_SANDBOX_CANARY", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("LANG=C.UTF-8", result.Stdout, StringComparison.Ordinal);
            var names = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')[0]).ToHashSet();
            // sh adds PWD (and may add SHLVL/_) itself; nothing else comes from outside.
            Assert.Subset(new HashSet<string> { "LANG", "HOME", "PWD", "SHLVL", "_" }, names);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SIEMAI_SANDBOX_CANARY", null);
        }
    }

    [Fact]
    public async Task Writes_reach_the_host_only_in_the_work_directory()
    {
        var marker = $"siemai-marker-{Guid.NewGuid():N}";
        var work = Work;
        var result = await Shell(
            $"touch /tmp/{marker}; touch /usr/{marker}; touch /etc/{marker}; touch {root.FullName}/{marker}; echo kept > {work}/{marker}; echo done",
            new SandboxSpec { WorkDirectory = work });

        Assert.Contains("done", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists($"/tmp/{marker}"));
        Assert.False(File.Exists($"/usr/{marker}"));
        Assert.False(File.Exists($"/etc/{marker}"));
        Assert.False(File.Exists(Path.Combine(root.FullName, marker)));
        Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(work, marker)));
    }

    [Fact]
    public async Task Cannot_make_the_read_only_system_writable_even_as_root()
    {
        // Without --cap-drop ALL, root's program holds every capability in its user namespace and this remount
        // succeeds: the touch then lands in the host's /usr.
        var marker = $"siemai-marker-{Guid.NewGuid():N}";
        var result = await Shell(
            $"grep CapEff /proc/self/status; mount -o remount,bind,rw /usr; touch /usr/{marker}; unshare -U -r true && echo nested-userns; echo done");

        try
        {
            Assert.Contains("done", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("CapEff:\t0000000000000000", result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("nested-userns", result.Stdout, StringComparison.Ordinal);
            Assert.False(File.Exists($"/usr/{marker}"), "the sandboxed program wrote to the host's /usr");
        }
        finally
        {
            File.Delete($"/usr/{marker}");
        }
    }

    [Fact]
    public async Task Does_not_see_the_hosts_private_directories_or_credentials()
    {
        var secret = Path.Combine(root.FullName, "secret.txt");
        await File.WriteAllTextAsync(secret, "hunter2");
        var hiddenDir = Directory.CreateDirectory(Path.Combine(root.FullName, "keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(hiddenDir, "host_key"), "PRIVATE");
        var shownDir = Directory.CreateDirectory(Path.Combine(root.FullName, "shown")).FullName;
        await File.WriteAllTextAsync(Path.Combine(shownDir, "a_key"), "PRIVATE");
        await File.WriteAllTextAsync(Path.Combine(shownDir, "a_key.pub"), "public");
        var options = new SandboxOptions();
        options.HiddenPaths.AddRange([hiddenDir, Path.Combine(shownDir, "*_key")]);
        var script = $"for p in {secret} /root /home /work /run/secrets /var/lib; do if [ -e $p ] && [ \"$(ls -A $p 2>/dev/null)\" != '' ]; then echo visible:$p; fi; done; " +
            $"cat /etc/shadow | wc -c; cat {hiddenDir}/* 2>/dev/null | wc -c; cat {shownDir}/a_key | wc -c; cat {shownDir}/a_key.pub; echo; test -r /etc/passwd && echo passwd-readable";
        var result = await Shell(script, new SandboxSpec { WorkDirectory = Work, ReadOnlyPaths = [hiddenDir, shownDir] }, new BubblewrapSandbox(options));

        Assert.DoesNotContain("visible:", result.Stdout, StringComparison.Ordinal);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", lines[0].Trim());
        Assert.Equal("0", lines[1].Trim());
        Assert.Equal("0", lines[2].Trim());
        // Only what matches a hidden pattern is hidden; the system itself stays usable.
        Assert.Equal("public", lines[3]);
        Assert.Equal("passwd-readable", lines[4]);
        Assert.True(new FileInfo("/etc/shadow").Length > 0, "the host's /etc/shadow is not empty, so the zero above is the sandbox's doing");
    }

    [Fact]
    public async Task Shows_extra_paths_read_only_or_writable_as_asked()
    {
        var shown = Directory.CreateDirectory(Path.Combine(root.FullName, "shown")).FullName;
        var writable = Directory.CreateDirectory(Path.Combine(root.FullName, "writable")).FullName;
        await File.WriteAllTextAsync(Path.Combine(shown, "inventory.ini"), "[lab]\nlocalhost\n");
        var result = await Shell($"cat {shown}/inventory.ini; touch {shown}/new || echo ro-refused; echo w > {writable}/new",
            new SandboxSpec { WorkDirectory = Work, ReadOnlyPaths = [shown], WritablePaths = [writable] });

        Assert.Contains("[lab]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("ro-refused", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(shown, "new")));
        Assert.True(File.Exists(Path.Combine(writable, "new")));
    }

    [Fact]
    public async Task Reaches_no_address_unless_the_network_is_shared()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepting = AcceptAllAsync(listener);
        var probe = $"python3 -c \"import socket; s=socket.create_connection(('127.0.0.1', {port}), 5); print('connected')\" 2>&1 || echo refused";

        var isolated = await Shell(probe);
        var shared = await Shell(probe, new SandboxSpec { WorkDirectory = Work, ShareNetwork = true });

        Assert.DoesNotContain("connected", isolated.Stdout, StringComparison.Ordinal);
        Assert.Contains("refused", isolated.Stdout, StringComparison.Ordinal);
        // The control: the same probe reaches the listener when the network namespace is shared.
        Assert.Contains("connected", shared.Stdout, StringComparison.Ordinal);
        listener.Stop();
        await accepting;
    }

    [Fact]
    public async Task Outlives_the_thread_that_started_it()
    {
        // --die-with-parent follows the forking thread: started from a thread that then ends, the sandbox must live on.
        Task<SandboxResult>? run = null;
        var work = Work;
        var starter = new Thread(() => run = sandbox.RunAsync("/bin/sh", ["-c", "sleep 2; echo survived"], new SandboxSpec { WorkDirectory = work }, Timeout, CancellationToken.None));
        starter.Start();
        starter.Join();

        var result = await run!;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("survived", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kills_the_whole_tree_at_the_timeout()
    {
        var marker = $"siemai-sleeper-{Guid.NewGuid():N}";
        var started = Stopwatch.StartNew();
        var result = await sandbox.RunAsync("/bin/bash", ["-c", $"(exec -a {marker} sleep 300) & (exec -a {marker} sleep 300) & wait"],
            new SandboxSpec { WorkDirectory = Work }, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60));
        Assert.Empty(await SurvivorsAsync(marker));
    }

    [Fact]
    public async Task Kills_the_whole_tree_when_cancelled()
    {
        var marker = $"siemai-sleeper-{Guid.NewGuid():N}";
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sandbox.RunAsync("/bin/bash", ["-c", $"(exec -a {marker} sleep 300) & wait"],
            new SandboxSpec { WorkDirectory = Work }, Timeout, cancel.Token));

        Assert.Empty(await SurvivorsAsync(marker));
    }

    [Fact]
    public async Task Runs_unconfined_but_with_a_cleared_environment_when_disabled()
    {
        // The control for the isolation tests above: the same writes reach the host without the sandbox.
        var marker = Path.Combine(root.FullName, $"siemai-marker-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable("SIEMAI_SANDBOX_CANARY", "visible");
        try
        {
            var unconfined = new BubblewrapSandbox(new SandboxOptions { Enabled = false });
            var result = await Shell($"touch {marker}; env", with: unconfined);

            Assert.True(File.Exists(marker));
            Assert.DoesNotContain("SIEMAI_SANDBOX_CANARY", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SIEMAI_SANDBOX_CANARY", null);
        }
    }

    public void Dispose() => root.Delete(recursive: true);

    private static async Task AcceptAllAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped (while waiting: socket/disposed errors; between two accepts: "Not listening").
        }
    }

    private static async Task<string[]> SurvivorsAsync(string marker)
    {
        // A killed process may take a moment to leave the table; pgrep: 0 found, 1 none.
        for (var attempt = 0; ; attempt++)
        {
            var start = new ProcessStartInfo("pgrep") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add(marker);
            using var pgrep = Process.Start(start)!;
            var output = await pgrep.StandardOutput.ReadToEndAsync();
            await pgrep.WaitForExitAsync();
            var found = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (found.Length == 0 || attempt == 20)
            {
                return found;
            }
            await Task.Delay(100);
        }
    }
}
