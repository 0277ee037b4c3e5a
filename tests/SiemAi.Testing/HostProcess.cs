using System.Diagnostics;
using System.Text;

namespace SiemAi.Testing;

/// <summary>
/// The real SiemAi host executable, started as a child process with its own ports, database and
/// RabbitMQ virtual host; it can be killed with SIGKILL and started again, as an operator's crash would.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> environment;
    private readonly StringBuilder log = new();
    private Process? process;

    public HostProcess(IDictionary<string, string> environment)
    {
        this.environment = new Dictionary<string, string>(environment);
        WebhookPort = FreePort.Next();
        this.environment["WEBHOOK_PORT"] = WebhookPort.ToString();
        HealthPort = environment.TryGetValue("HEALTH_PORT", out var health) ? int.Parse(health) : WebhookPort;
        this.environment["HEALTH_PORT"] = HealthPort.ToString();
        ReviewUiPort = environment.TryGetValue("REVIEW_UI_PORT", out var review) ? int.Parse(review) : FreePort.Next();
        this.environment["REVIEW_UI_PORT"] = ReviewUiPort.ToString();
        SyslogUdpPort = FreePort.Next();
        SyslogTcpPort = FreePort.Next();
        this.environment["SYSLOG_UDP_PORT"] = SyslogUdpPort.ToString();
        this.environment["SYSLOG_TCP_PORT"] = SyslogTcpPort.ToString();
    }

    public int WebhookPort { get; }

    /// <summary>Where readiness is polled over plain HTTP: the webhook port unless the test gave HEALTH_PORT.</summary>
    public int HealthPort { get; }
    public int ReviewUiPort { get; }
    public int SyslogUdpPort { get; }
    public int SyslogTcpPort { get; }
    public Uri ReviewAddress => new($"http://127.0.0.1:{ReviewUiPort}/");
    public Uri BaseAddress => new($"http://127.0.0.1:{WebhookPort}/");
    public int Starts { get; private set; }
    public bool HasExited => process is null || process.HasExited;

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

    public static string Executable
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryRoot.Path, "src", "SiemAi.Host", "bin", configuration, "net10.0", "SiemAi.Host.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first.");
        }
    }

    public async Task StartAsync(TimeSpan? readyWithin = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Executable);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        Starts++;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HealthPort}/"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (readyWithin ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode} while starting:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The host was not ready in time:\n{Tail()}");
    }

    /// <summary>SIGKILL, no goodbye: the process gets no chance to flush, ack or publish anything.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public string Tail(int lines = 40)
    {
        var all = Log.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }

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
    }
}
