using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SiemAi.Testing;

/// <summary>
/// A RabbitMQ node of one fixture, from the installed Debian package: its own node name, free AMQP and
/// distribution ports on loopback, its own config, data (mnesia), logs and Erlang cookie in a temp folder,
/// no plugins (it starts faster) and a user with a generated password. <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> keep the data, so durable queues and their messages survive, as on a
/// production broker's restart. Tests stop it at will, which they must never do to the shared broker.
/// </summary>
/// <remarks>
/// The node runs as the test's own user through <c>/usr/lib/rabbitmq/bin/rabbitmq-server</c>, not Debian's
/// <c>/usr/sbin</c> wrapper: that one switches to the <c>rabbitmq</c> user, changes into
/// <c>/var/lib/rabbitmq</c> (the shared node's cookie) and overwrites <c>/var/log/rabbitmq/startup_log</c>.
/// </remarks>
public sealed class PrivateRabbitNode : IAsyncDisposable
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly StringBuilder log = new();
    private Process? process;
    private TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string? cookie;

    private PrivateRabbitNode(string folder, string? cookie)
    {
        Folder = folder;
        this.cookie = cookie;
        NodeName = $"siemai-test-{Guid.NewGuid():N}"[..24] + "@localhost";
        AmqpPort = (ushort)FreePort.Next();
        DistributionPort = FreePort.Next();
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
    }

    public string Folder { get; }
    public string NodeName { get; }
    public ushort AmqpPort { get; }
    public int DistributionPort { get; }
    public string User => "siemai-test";
    public string Password { get; }
    public int Starts { get; private set; }
    public bool IsRunning => process is { HasExited: false };

    /// <summary>The default virtual host of this node, with its generated user.</summary>
    public BrokerEndpoint Endpoint => new("127.0.0.1", AmqpPort, "/", User, Password);

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Creates the node's folder and starts it; throws with the node's log when it does not boot in time.</summary>
    /// <param name="within">How long the first boot may take.</param>
    /// <param name="cookie">The Erlang cookie, shared by the nodes of one <see cref="PrivateRabbitCluster"/>; a fresh one when null.</param>
    public static async Task<PrivateRabbitNode> StartNewAsync(TimeSpan? within = null, string? cookie = null)
    {
        var node = new PrivateRabbitNode(Directory.CreateTempSubdirectory("siemai-rabbit-").FullName, cookie);
        try
        {
            node.WriteConfiguration();
            await node.StartAsync(within);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Boots the node on its existing data; returns once it logged that startup completed (listeners are up).</summary>
    public async Task StartAsync(TimeSpan? within = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"node {NodeName} is already running");
        }

        started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo(Server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (var (key, value) in Settings())
        {
            start.Environment[key] = value;
        }

        process?.Dispose();
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Server}");
        Starts++;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var limit = Task.Delay(within ?? TimeSpan.FromSeconds(120));
        var first = await Task.WhenAny(started.Task, exited, limit);
        if (first == exited)
        {
            throw new InvalidOperationException($"RabbitMQ node {NodeName} exited with {process.ExitCode} while starting:\n{Tail()}");
        }

        if (first == limit)
        {
            throw new TimeoutException($"RabbitMQ node {NodeName} did not start in time:\n{Tail()}");
        }
    }

    /// <summary>A graceful stop (SIGTERM, as systemd sends): queues and persistent messages are kept on disk.</summary>
    public async Task StopAsync(TimeSpan? within = null)
    {
        if (process is not { HasExited: false } running)
        {
            return;
        }

        // The start script traps TERM and stops the node properly (see rabbitmq-server's signal handling).
        await OsCommand.RequireAsync("kill", ["-TERM", running.Id.ToString(CultureInfo.InvariantCulture)]);
        using var limit = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        try
        {
            await running.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill(entireProcessTree: true);
            throw new TimeoutException($"RabbitMQ node {NodeName} did not stop in time and was killed:\n{Tail()}");
        }
    }

    /// <summary>SIGKILL to the whole node: what a crashed or unplugged broker looks like to its clients.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }
    }

    /// <summary>
    /// What the node holds right now, for a failure message: every queue with its ready, unacknowledged and
    /// consumer counts (messages sitting where no consumer takes them are stuck, not lost), the client
    /// connections and their channels. Never throws: a node that is down or slow says so instead.
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        if (!IsRunning)
        {
            return $"node {NodeName} is not running";
        }

        var parts = new List<string>();
        foreach (var (what, args) in new (string, string[])[]
        {
            ("queues (name, ready, unacked, consumers, durable, auto_delete, exclusive)",
                ["list_queues", "name", "messages_ready", "messages_unacknowledged", "consumers", "durable", "auto_delete", "exclusive"]),
            ("connections (name, state, channels)", ["list_connections", "name", "state", "channels"]),
            ("channels (name, consumers, unacked, prefetch, confirm)",
                ["list_channels", "name", "consumer_count", "messages_unacknowledged", "prefetch_count", "confirm"]),
        })
        {
            parts.Add($"--- {what}:\n{await CtlAsync(args)}");
        }

        return string.Join('\n', parts);
    }

    /// <summary>Runs <c>rabbitmqctl</c> (or <c>rabbitmq-queues</c>) against this node; throws with its output when it fails.</summary>
    public async Task<string> RequireCtlAsync(string tool, params string[] arguments)
    {
        var output = await CtlAsync(arguments, tool, tables: false);
        return output.StartsWith("rabbitmq", StringComparison.Ordinal) && (output.Contains(" exited with ", StringComparison.Ordinal)
            || output.Contains(" did not answer ", StringComparison.Ordinal) || output.Contains(" could not run", StringComparison.Ordinal))
            ? throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} on {NodeName}: {output}")
            : output;
    }

    private async Task<string> CtlAsync(IEnumerable<string> arguments, string tool = "rabbitmqctl", bool tables = true)
    {
        var start = new ProcessStartInfo($"/usr/lib/rabbitmq/bin/{tool}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (var arg in tables
            ? (string[])["-n", NodeName, "-q", .. arguments, "--no-table-headers", "--timeout", "30"]
            : ["-n", NodeName, "-q", .. arguments])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Settings())
        {
            start.Environment[key] = value;
        }

        try
        {
            using var ctl = Process.Start(start) ?? throw new InvalidOperationException("could not start rabbitmqctl");
            var output = ctl.StandardOutput.ReadToEndAsync();
            var error = ctl.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await ctl.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                ctl.Kill(entireProcessTree: true);
                return $"{tool} did not answer within 60 s";
            }

            return ctl.ExitCode == 0 ? (await output).TrimEnd() : $"{tool} exited with {ctl.ExitCode}: {await output}{await error}";
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"{tool} could not run: {ex.Message}";
        }
    }

    public string Tail(int lines = 30)
    {
        var all = Log.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private void WriteConfiguration()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "home"));
        Directory.CreateDirectory(Path.Combine(Folder, "mnesia"));
        Directory.CreateDirectory(Path.Combine(Folder, "log"));
        // The default user is created on the node's first boot only, with rights on the default virtual host.
        File.WriteAllText(Path.Combine(Folder, "rabbitmq.conf"), string.Join('\n',
            $"listeners.tcp.default = 127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}",
            $"default_user = {User}",
            $"default_pass = {Password}",
            "default_vhost = /",
            "default_permissions.configure = .*",
            "default_permissions.read = .*",
            "default_permissions.write = .*",
            "default_user_tags.administrator = true",
            "") + "\n");
        File.WriteAllText(Path.Combine(Folder, "enabled_plugins"), "[].\n");
        if (cookie is not null)
        {
            // Nodes of one cluster must share it; Erlang refuses a cookie file others can read.
            var cookieFile = Path.Combine(Folder, "home", ".erlang.cookie");
            File.WriteAllText(cookieFile, cookie);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(cookieFile, UnixFileMode.UserRead);
            }
        }

        // Read by the start scripts instead of /etc/rabbitmq/rabbitmq-env.conf (the shared node's settings).
        File.WriteAllText(Path.Combine(Folder, "rabbitmq-env.conf"), "");
    }

    private Dictionary<string, string> Settings() => new()
    {
        // The Erlang cookie is created in (and read from) $HOME: this node's, not /var/lib/rabbitmq's.
        ["HOME"] = Path.Combine(Folder, "home"),
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Folder, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(Folder, "log"),
        ["RABBITMQ_LOGS"] = "-",
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Folder, "rabbitmq.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(Folder, "advanced.config"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Folder, "enabled_plugins"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Folder, "rabbitmq-env.conf"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(Folder, "rabbitmq.pid"),
        // Erlang writes a crash dump into the working directory (the checkout) unless told otherwise.
        ["ERL_CRASH_DUMP"] = Path.Combine(Folder, "erl_crash.dump"),
    };

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }

        if (line.Contains("Server startup complete", StringComparison.Ordinal))
        {
            started.TrySetResult();
        }
    }
}
