namespace SiemAi.Safety.Rules;

/// <summary>Where on a Linux host a change stops being a remediation: system trees, credentials, autostart places, evidence.</summary>
internal static class SensitivePaths
{
    /// <summary>Directories whose removal (or the removal of anything above them) breaks a host.</summary>
    private static readonly string[] ProtectedDirectories =
    [
        "/", "/etc", "/usr", "/var", "/home", "/root", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/opt", "/srv",
        "/proc", "/sys", "/dev", "/run", "/var/lib", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/local", "/etc/ssh", "/etc/pam.d",
        "/etc/systemd", "/etc/security", "/etc/sudoers.d", "/etc/cron.d", "/etc/ssl", "/etc/pki", "/tmp", "/var/tmp",
    ];

    /// <summary>Where security agents live: deleting these blinds the SOC as surely as stopping the service.</summary>
    public static readonly string[] SecurityAgentTrees =
    [
        "/opt/microsoft/mdatp", "/etc/opt/microsoft/mdatp", "/opt/splunkforwarder", "/opt/splunk", "/etc/filebeat", "/usr/share/filebeat",
        "/var/lib/filebeat", "/etc/auditbeat", "/etc/fail2ban", "/etc/audit", "/var/ossec", "/etc/wazuh-agent", "/opt/CrowdStrike",
        "/opt/sentinelone", "/etc/osquery", "/var/osquery", "/opt/osquery", "/etc/elastic-agent", "/opt/Elastic", "/etc/aide", "/var/lib/aide",
        "/etc/clamav", "/etc/rsyslog.d", "/etc/rsyslog.conf", "/etc/systemd/journald.conf", "/var/log/audit",
    ];

    /// <summary>Trees where nothing may be deleted: system binaries and libraries, the boot loader, and logs (evidence).</summary>
    private static readonly string[] NoDeleteTrees = ["/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr/bin", "/usr/sbin", "/usr/lib", "/var/log", "/proc", "/sys", "/dev"];

    private static readonly string[] CriticalFiles =
    [
        "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers", "/etc/fstab", "/etc/hosts", "/etc/resolv.conf",
        "/etc/ssh/sshd_config", "/etc/nsswitch.conf", "/etc/login.defs", "/etc/machine-id",
    ];

    /// <summary>Files whose content decides who is who and who may do what.</summary>
    private static readonly string[] CredentialFiles = ["/etc/ssh/sshd_config", "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers", "/etc/ld.so.preload", "/etc/nsswitch.conf"];
    private static readonly string[] CredentialTrees = ["/etc/ssh/sshd_config.d", "/etc/sudoers.d", "/etc/pam.d", "/etc/security", "/boot", "/bin", "/sbin", "/lib", "/lib64", "/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/etc/ssl/certs", "/usr/local/share/ca-certificates", "/etc/pki/ca-trust"];

    /// <summary>Places from which code starts again later: the persistence an attacker wants and a remediation never adds.</summary>
    private static readonly string[] AutostartFiles = ["/etc/crontab", "/etc/rc.local", "/etc/rc.d/rc.local", "/etc/profile", "/etc/bash.bashrc", "/etc/environment", "/etc/anacrontab", "/etc/ld.so.conf", "/etc/sshd_config"];
    private static readonly string[] AutostartTrees =
    [
        "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly", "/var/spool/cron",
        "/etc/systemd", "/lib/systemd/system", "/usr/lib/systemd/system", "/etc/init.d", "/etc/profile.d", "/etc/update-motd.d",
        "/etc/xdg/autostart", "/etc/udev/rules.d", "/etc/apt/apt.conf.d", "/etc/logrotate.d", "/etc/modprobe.d", "/etc/modules-load.d",
        "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/etc/ld.so.conf.d", "/etc/NetworkManager/dispatcher.d", "/etc/dhcp/dhclient-exit-hooks.d",
        "/etc/yum/pluginconf.d", "/etc/dnf/plugins", "/etc/sudo.conf", "/etc/ssh/sshrc",
    ];
    private static readonly string[] AutostartNames = [".bashrc", ".profile", ".bash_profile", ".bash_login", ".zshrc", "authorized_keys", "authorized_keys2"];
    private static readonly string[] HistoryNames = [".bash_history", ".zsh_history", ".sh_history"];

    /// <summary>Normalises an absolute path ('.', '..', doubled and trailing slashes); '~' counts as root's home. Null if relative.</summary>
    public static string? Normalize(string path)
    {
        var p = path.Trim();
        if (p.StartsWith('~'))
        {
            p = "/root" + p[1..];
        }
        if (!p.StartsWith('/'))
        {
            return null;
        }
        var parts = new List<string>();
        foreach (var part in p.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>Why deleting this path is destructive, or null when it is an ordinary remediation (a dropped binary, a rogue unit).</summary>
    public static string? WhyDeleteIsDestructive(string path)
    {
        if (SecurityAgentTrees.Any(t => IsSameOrBelow(path, t)))
        {
            return $"'{path}' belongs to a security agent or its logs; removing it blinds the SOC on this host.";
        }
        if (ProtectedDirectories.Any(d => IsSameOrBelow(d, path)))
        {
            return $"'{path}' is or contains a system directory.";
        }
        if (path.StartsWith("/home/", StringComparison.Ordinal) && path.Count(c => c == '/') == 2)
        {
            return $"'{path}' is a whole home directory.";
        }
        // /dev/shm is a favourite drop place for malware; removing files there is remediation, not damage.
        if (NoDeleteTrees.Any(t => IsSameOrBelow(path, t)) && !IsSameOrBelow(path, "/dev/shm"))
        {
            return IsSameOrBelow(path, "/var/log") ? $"'{path}' is log evidence." : $"'{path}' belongs to the system's binaries or boot files.";
        }
        if (CriticalFiles.Contains(path))
        {
            return $"'{path}' is a file the host cannot work without.";
        }
        return HistoryNames.Contains(FileName(path)) ? $"'{path}' is shell history, evidence of what happened." : null;
    }

    /// <summary>The rule a write to this path breaks, or null. Removing lines is judged as a write only where it can lock people out.</summary>
    public static (string Rule, string Why)? WhyWriteIsSensitive(string path, bool removalOnly)
    {
        if (removalOnly)
        {
            // Removing a rogue sudoers line, cron job or key is remediation; removing lines from the account databases is not.
            return path is "/etc/passwd" or "/etc/shadow" or "/etc/group" or "/etc/gshadow" || IsSameOrBelow(path, "/etc/pam.d")
                ? (SafetyRules.SensitiveFileWrite, $"'{path}' holds accounts or authentication; editing it can lock everyone out.")
                : null;
        }
        if (CredentialFiles.Contains(path) || CredentialTrees.Any(t => IsSameOrBelow(path, t)))
        {
            return (SafetyRules.SensitiveFileWrite, $"'{path}' decides identities, privileges, trust or which code the system runs.");
        }
        if (AutostartFiles.Contains(path) || AutostartTrees.Any(t => IsSameOrBelow(path, t)) || AutostartNames.Contains(FileName(path))
            || path.EndsWith(".pth", StringComparison.Ordinal) || path.EndsWith("/.ssh/rc", StringComparison.Ordinal) || path.EndsWith("/.ssh/environment", StringComparison.Ordinal)
            || path.EndsWith("/sitecustomize.py", StringComparison.Ordinal) || path.EndsWith("/usercustomize.py", StringComparison.Ordinal))
        {
            return (SafetyRules.Persistence, $"'{path}' starts code again later; writing it adds persistence.");
        }
        if (IsSameOrBelow(path, "/var/log") || HistoryNames.Contains(FileName(path)))
        {
            return (SafetyRules.DestructivePath, $"'{path}' is evidence; overwriting it destroys it.");
        }
        return null;
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static bool IsSameOrBelow(string path, string tree) =>
        path == tree || tree == "/" || path.StartsWith(tree + "/", StringComparison.Ordinal);
}
