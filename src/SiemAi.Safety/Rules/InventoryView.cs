using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;

namespace SiemAi.Safety.Rules;

/// <summary>
/// The runner's inventory as <c>ansible-inventory -i PATH --list</c> prints it: hosts with their variables, and group names.
/// The inventory is operator configuration, not candidate content, so it is read with a cleared environment (no service
/// secrets reach the child) and cached until the file changes.
/// </summary>
internal sealed class InventoryView
{
    private static readonly ConcurrentDictionary<string, (DateTime Stamp, InventoryView View)> Cache = new(StringComparer.Ordinal);

    private InventoryView(Dictionary<string, Dictionary<string, string>> hosts, HashSet<string> groups, string? error)
    {
        Hosts = hosts;
        Groups = groups;
        Error = error;
    }

    /// <summary>Inventory host name → its variables (string values only; enough for connection and address).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Hosts { get; }

    public IReadOnlySet<string> Groups { get; }

    /// <summary>Why the inventory could not be read; every target then blocks.</summary>
    public string? Error { get; }

    /// <summary>The view for the configured inventory, or null when none is configured (targets are then compared as text).</summary>
    public static InventoryView? For(SafetyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.InventoryPath))
        {
            return null;
        }
        var path = Path.GetFullPath(options.InventoryPath);
        var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        if (Cache.TryGetValue(path, out var cached) && cached.Stamp == stamp)
        {
            return cached.View;
        }
        var view = stamp == DateTime.MinValue ? Failed($"the inventory '{options.InventoryPath}' does not exist") : Load(options, path);
        Cache[path] = (stamp, view);
        return view;
    }

    private static InventoryView Load(SafetyOptions options, string path)
    {
        var program = Path.Combine(Path.GetDirectoryName(options.AnsiblePlaybookPath) ?? "", "ansible-inventory");
        var psi = new ProcessStartInfo(Path.IsPathRooted(program) ? program : "ansible-inventory")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        // No ansible.cfg from the working directory or a home directory: an empty one of our own.
        var config = Path.Combine(Path.GetTempPath(), $"siemai-inventory-{Guid.NewGuid():N}.cfg");
        File.WriteAllText(config, "");
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        psi.Environment["HOME"] = Path.GetTempPath();
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["ANSIBLE_CONFIG"] = config;
        psi.Environment["ANSIBLE_LOCAL_TEMP"] = Path.GetTempPath();
        // An inventory ansible cannot parse must fail, not silently become an empty one.
        psi.Environment["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True";
        foreach (var arg in new[] { "-i", path, "--list" })
        {
            psi.ArgumentList.Add(arg);
        }
        try
        {
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)options.SyntaxCheckTimeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                return Failed("ansible-inventory did not finish in time");
            }
            if (process.ExitCode != 0)
            {
                return Failed($"ansible-inventory exited with {process.ExitCode}");
            }
            return Parse(stdout.GetAwaiter().GetResult());
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or JsonException)
        {
            return Failed($"the inventory could not be read ({ex.GetType().Name})");
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static InventoryView Failed(string why) => new([], [], why);

    internal static InventoryView Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var hosts = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Name == "_meta")
            {
                if (property.Value.TryGetProperty("hostvars", out var hostvars))
                {
                    foreach (var host in hostvars.EnumerateObject())
                    {
                        hosts[host.Name] = host.Value.EnumerateObject()
                            .Where(v => v.Value.ValueKind == JsonValueKind.String)
                            .ToDictionary(v => v.Name, v => v.Value.GetString()!, StringComparer.Ordinal);
                    }
                }
                continue;
            }
            groups.Add(property.Name);
            if (property.Value.TryGetProperty("hosts", out var members))
            {
                foreach (var member in members.EnumerateArray())
                {
                    hosts.TryAdd(member.GetString()!, new Dictionary<string, string>(StringComparer.Ordinal));
                }
            }
        }
        return new InventoryView(hosts, groups, null);
    }

    /// <summary>Why this inventory host is the controller itself (a local connection, or an address of this machine), or null.</summary>
    public string? WhyController(string host)
    {
        var vars = Hosts.TryGetValue(host, out var v) ? v : [];
        if (vars.TryGetValue("ansible_connection", out var connection) && connection is "local")
        {
            return "has a local connection: its tasks run on the controller";
        }
        var address = vars.TryGetValue("ansible_host", out var a) ? a : host;
        if (address.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(address, out var ip) && (IPAddress.IsLoopback(ip) || OwnAddresses.Value.Contains(ip)))
        {
            return $"is reached at {address}, an address of the controller";
        }
        return null;
    }

    private static readonly Lazy<HashSet<IPAddress>> OwnAddresses = new(() =>
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)];
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    });
}
