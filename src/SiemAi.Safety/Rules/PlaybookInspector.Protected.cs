using System.Net;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>
/// Values that would cut the operators off, whatever module carries them: firewall rules over address blocks broader than
/// a single host or covering protected networks, rules dropping management ports for every source, changes to protected
/// accounts, kernel settings outside the vetted hardening list, mounts that are not hardening remounts.
/// </summary>
internal sealed partial class PlaybookInspector
{
    /// <summary>Kernel settings a remediation may set, each with the only value that hardens.</summary>
    public static readonly IReadOnlyDictionary<string, string> HardeningSysctls = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["net.ipv4.conf.all.accept_redirects"] = "0",
        ["net.ipv4.conf.default.accept_redirects"] = "0",
        ["net.ipv4.conf.all.send_redirects"] = "0",
        ["net.ipv4.conf.default.send_redirects"] = "0",
        ["net.ipv4.conf.all.secure_redirects"] = "0",
        ["net.ipv4.conf.all.accept_source_route"] = "0",
        ["net.ipv4.conf.default.accept_source_route"] = "0",
        ["net.ipv6.conf.all.accept_redirects"] = "0",
        ["net.ipv6.conf.default.accept_redirects"] = "0",
        ["net.ipv6.conf.all.accept_source_route"] = "0",
        ["net.ipv4.conf.all.rp_filter"] = "1",
        ["net.ipv4.conf.default.rp_filter"] = "1",
        ["net.ipv4.conf.all.log_martians"] = "1",
        ["net.ipv4.tcp_syncookies"] = "1",
        ["net.ipv4.icmp_echo_ignore_broadcasts"] = "1",
        ["net.ipv4.ip_forward"] = "0",
        ["kernel.randomize_va_space"] = "2",
        ["kernel.kptr_restrict"] = "2",
        ["kernel.dmesg_restrict"] = "1",
        ["kernel.yama.ptrace_scope"] = "1",
        ["fs.protected_symlinks"] = "1",
        ["fs.protected_hardlinks"] = "1",
        ["fs.suid_dumpable"] = "0",
    };

    /// <summary>Where a remount may only add restrictions.</summary>
    private static readonly HashSet<string> RemountablePaths = ["/tmp", "/var/tmp", "/dev/shm"];

    private void FirewallAddressRules(TaskContext task, string sourceArg, string destinationArg, bool blocking)
    {
        if (!blocking)
        {
            return;
        }
        foreach (var arg in new[] { sourceArg, destinationArg })
        {
            foreach (var value in task.List(arg))
            {
                if (value.IsUnresolved)
                {
                    Unresolved(task, arg, value);
                    continue;
                }
                if (value.Literal is not { } text)
                {
                    continue;
                }
                var why = WhyAddressCutsOff(text.TrimStart('!'));
                if (why is not null)
                {
                    Block(SafetyRules.OperatorLockout, $"{task.Path}.{arg}", $"'{text}' {why}", value.Node?.Line ?? task.Line);
                }
            }
        }
    }

    /// <summary>Why blocking this address (or block) cuts people off, or null for a single host outside protected networks.</summary>
    private string? WhyAddressCutsOff(string text)
    {
        if (text.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            return "is every address.";
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Count(c => c == '.') is not (0 or 3))
        {
            return "is not an IP address or CIDR block the gate can judge (host names and ranges resolve elsewhere).";
        }
        var v4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var bits = v4 ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return "has a prefix length the gate cannot read.";
        }
        var narrowest = v4 ? options.MaxBlockPrefixV4 : options.MaxBlockPrefixV6;
        if (prefix < narrowest)
        {
            return $"covers /{prefix}; blocks may be at most /{narrowest} (Safety:MaxBlockPrefixV{(v4 ? 4 : 6)}), so one rule cannot cut off whole networks.";
        }
        var network = new IPNetwork(Mask(address, prefix), prefix);
        foreach (var protectedText in options.ProtectedNetworks)
        {
            if (IPNetwork.TryParse(protectedText, out var protectedNet) && protectedNet.BaseAddress.AddressFamily == address.AddressFamily
                && (protectedNet.Contains(network.BaseAddress) || network.Contains(protectedNet.BaseAddress)))
            {
                return $"overlaps the protected network {protectedText} (management, SIEM, approvers or the controller).";
            }
        }
        return null;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    private void IptablesProtectionRules(TaskContext task)
    {
        var jump = task.Arg("jump").Literal?.ToUpperInvariant();
        var blocking = jump is "DROP" or "REJECT" && task.Arg("state").Literal is null or "present";
        FirewallAddressRules(task, "source", "destination", blocking);
        if (blocking && task.Arg("source").State == ArgState.Missing && task.Arg("destination").State == ArgState.Missing)
        {
            var ports = task.List("destination_port", "destination_ports").Select(p => p.Literal).ToList();
            if (ports.Count == 0 || ports.Any(p => p is null || options.ManagementPorts.Any(m => PortCovers(p, m))))
            {
                Block(SafetyRules.OperatorLockout, task.Path, ports.Count == 0
                    ? "The rule drops traffic from every source on every port: the host goes dark, management included."
                    : $"The rule drops a management port ({string.Join(", ", options.ManagementPorts)}) for every source.", task.Line);
            }
        }
    }

    private static bool PortCovers(string? text, int port)
    {
        if (text is null)
        {
            return true;
        }
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split(':', '-');
            if (range.Length == 1 && int.TryParse(range[0], out var single) && single == port)
            {
                return true;
            }
            if (range.Length == 2 && int.TryParse(range[0], out var low) && int.TryParse(range[1], out var high) && low <= port && port <= high)
            {
                return true;
            }
            if (!int.TryParse(range[0], out _))
            {
                return true;
            }
        }
        return false;
    }

    private void UfwProtectionRules(TaskContext task)
    {
        var blocking = task.Arg("rule").Literal is "deny" or "reject" or "limit" && task.Bool("delete") != true;
        FirewallAddressRules(task, "from_ip", "to_ip", blocking);
        if (blocking && task.Arg("from_ip", "from", "src").Literal is null or "any" && task.Arg("to_ip", "to", "dest").Literal is null or "any")
        {
            var port = task.Arg("to_port", "port").Literal;
            if (port is null || options.ManagementPorts.Any(m => PortCovers(port, m)))
            {
                Block(SafetyRules.OperatorLockout, task.Path, "The rule denies every source (on a management port, or every port).", task.Line);
            }
        }
    }

    private void ProtectedAccountRules(TaskContext task)
    {
        foreach (var name in task.List("name", "user"))
        {
            if (name.IsUnresolved)
            {
                Unresolved(task, "name", name);
            }
            else if (name.Literal is { } account && options.ProtectedAccounts.Contains(account.Trim(), StringComparer.Ordinal))
            {
                Block(SafetyRules.OperatorLockout, $"{task.Path}.name",
                    $"'{account}' is a protected account (Safety:ProtectedAccounts); locking, removing or changing it cuts the operators off.", name.Node?.Line ?? task.Line);
            }
        }
    }

    private void SysctlRules(TaskContext task)
    {
        var key = task.Arg("name", "key");
        var value = task.Arg("value", "val");
        if (key.IsUnresolved || value.IsUnresolved)
        {
            Unresolved(task, key.IsUnresolved ? "name" : "value", key.IsUnresolved ? key : value);
            return;
        }
        if (key.Literal is not { } name)
        {
            return;
        }
        if (!HardeningSysctls.TryGetValue(name.Trim(), out var hardened))
        {
            Block(SafetyRules.SecurityControlDisabled, $"{task.Path}.name",
                $"'{name}' is not on the kernel hardening list (e.g. kernel.core_pattern would run a program on every crash).", task.Line);
        }
        else if (task.Arg("state").Literal is "absent" || value.Literal?.Trim() != hardened)
        {
            Block(SafetyRules.SecurityControlDisabled, $"{task.Path}.value", $"{name} may only be set to {hardened}, the hardened value.", task.Line);
        }
    }

    private void MountRules(TaskContext task)
    {
        var path = task.Arg("path", "name").Literal;
        var opts = task.Arg("opts").Literal?.Split(',', StringSplitOptions.TrimEntries) ?? [];
        var hardening = opts.Length > 0 && opts.All(o => o is "remount" or "noexec" or "nosuid" or "nodev" or "defaults" or "rw" or "ro");
        if (task.Arg("state").Literal != "remounted" || path is null || !RemountablePaths.Contains(path) || !hardening || task.Args.ContainsKey("src") || task.Args.ContainsKey("fstype"))
        {
            Block(SafetyRules.SecurityControlDisabled, task.Path,
                $"mount is allowed only to remount {string.Join(", ", RemountablePaths)} with hardening options (noexec, nosuid, nodev).", task.Line);
        }
    }
}
