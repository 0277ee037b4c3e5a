using System.Text.RegularExpressions;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>What each allowed module may change: paths, accounts, services, packages, firewall, kernel settings, egress.</summary>
internal sealed partial class PlaybookInspector
{
    private static readonly HashSet<string> SecurityServices = new(StringComparer.OrdinalIgnoreCase)
    {
        "auditd", "rsyslog", "syslog-ng", "systemd-journald", "journald", "firewalld", "ufw", "nftables", "iptables", "apparmor",
        "falcon-sensor", "wazuh-agent", "ossec", "osqueryd", "filebeat", "auditbeat", "winlogbeat", "elastic-agent", "splunkd",
        "splunkforwarder", "clamav-daemon", "clamd", "fail2ban", "crowdstrike", "sysmon", "aide", "mdatp", "sentinelone", "sentinelagent", "wazuh-manager",
        "ossec-hids", "qualys-cloud-agent", "cbagentd", "td-agent-bit", "fluent-bit", "vector", "nxlog", "splunk",
    };

    private static readonly HashSet<string> AvailabilityServices = new(StringComparer.OrdinalIgnoreCase)
    {
        "sshd", "ssh", "openssh-server", "networking", "network", "NetworkManager", "systemd-networkd", "systemd-resolved", "dbus",
        "systemd-logind", "sssd", "chronyd", "crond", "cron",
    };

    private static readonly HashSet<string> CriticalPackages = new(StringComparer.OrdinalIgnoreCase)
    {
        "openssh-server", "openssh", "sudo", "systemd", "bash", "coreutils", "glibc", "libc6", "python3", "apt", "dpkg", "dnf",
        "yum", "rpm", "kernel", "linux-image-generic", "grub2", "grub-pc", "pam", "libpam-modules", "util-linux", "openssl",
        "auditd", "audit", "rsyslog", "firewalld", "ufw", "iptables", "nftables", "selinux-policy", "apparmor", "wazuh-agent",
        "osquery", "falcon-sensor", "ca-certificates", "mdatp", "splunkforwarder", "splunk", "filebeat", "auditbeat", "winlogbeat",
        "elastic-agent", "fail2ban", "clamav", "clamav-daemon", "ossec-hids", "ossec-hids-agent", "sentinelagent", "qualys-cloud-agent",
        "aide", "libpam-runtime", "passwd", "login", "shadow-utils",
    };

    private static readonly Dictionary<string, string> WeakeningSysctls = new(StringComparer.Ordinal)
    {
        ["kernel.randomize_va_space"] = "0",
        ["kernel.kptr_restrict"] = "0",
        ["kernel.yama.ptrace_scope"] = "0",
        ["kernel.dmesg_restrict"] = "0",
        ["fs.protected_symlinks"] = "0",
        ["fs.protected_hardlinks"] = "0",
        ["kernel.modules_disabled"] = "0",
        ["fs.suid_dumpable"] = "2",
    };

    private static readonly string[] VerificationOffArguments = ["disable_gpg_check", "allow_unauthenticated", "skip_broken_signatures", "unsafe_writes_gpg"];

    /// <summary>Rules any module's arguments obey: permission bits, certificate checks, and where URLs point.</summary>
    private void ApplyCommonArgumentRules(TaskContext task)
    {
        foreach (var modeArg in new[] { "mode", "directory_mode" })
        {
            if (!task.Args.TryGetValue(modeArg, out var modeNode))
            {
                continue;
            }
            // YAML 1.1 reads plain 0644 as octal, 0x1ff as hex, 0_777 and 1:2 (sexagesimal) as integers: only a quoted
            // string is read the same way by every parser and by Ansible.
            if (modeNode is not ScalarNode { Plain: false } quoted || quoted.Unsafe || !QuotedMode().IsMatch(quoted.Value))
            {
                Block(SafetyRules.InsecurePermissions, $"{task.Path}.{modeArg}",
                    $"{modeArg} must be a quoted octal string such as \"0644\" (or quoted symbolic such as \"u=rw,go=r\"); '{(modeNode as ScalarNode)?.Value}' is not.", modeNode.Line);
            }
            else if (AnsibleValues.IsInsecureMode(quoted.Value))
            {
                Block(SafetyRules.InsecurePermissions, $"{task.Path}.{modeArg}", $"Mode '{quoted.Value}' lets anyone write the file or sets setuid/setgid.", modeNode.Line);
            }
        }
        if (task.Args.ContainsKey("validate_certs") && task.Bool("validate_certs") != true)
        {
            Block(SafetyRules.VerificationDisabled, $"{task.Path}.validate_certs", "TLS certificate checks are off; anyone on the path can answer.", task.Line);
        }
        foreach (var arg in VerificationOffArguments.Where(a => task.Args.ContainsKey(a) && task.Bool(a) != false))
        {
            Block(SafetyRules.VerificationDisabled, $"{task.Path}.{arg}", $"'{arg}' installs software without checking its signature.", task.Line);
        }
        foreach (var arg in task.Args.Keys)
        {
            foreach (var value in task.List(arg))
            {
                if (value.IsUnresolved && arg is "url" or "baseurl" or "deb" or "repo")
                {
                    Unresolved(task, arg, value);
                }
                else if (value.Literal is { } text && (PythonUrl.LooksLikeUrl(text) || arg is "url" or "baseurl" or "repo" or "deb" or "mirrorlist" or "metalink"))
                {
                    if (PythonUrl.Host(text, out var why) is { } host)
                    {
                        CheckEgress(task, arg, host);
                    }
                    else
                    {
                        Block(SafetyRules.EgressNotAllowed, $"{task.Path}.{arg}", $"'{arg}' is not a URL the gate can read the way Python does: {why}.", value.Node?.Line ?? task.Line);
                    }
                }
            }
        }
    }

    private void CheckEgress(TaskContext task, string arg, string host)
    {
        var allowed = options.AllowedEgressHosts.Any(h =>
            h.Equals(host, StringComparison.OrdinalIgnoreCase)
            || (h.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(h[1..], StringComparison.OrdinalIgnoreCase)));
        if (!allowed)
        {
            Block(SafetyRules.EgressNotAllowed, $"{task.Path}.{arg}", $"'{arg}' reaches '{host}', which is not an allowed egress host.", task.Line);
        }
    }

    private void ApplyModuleRules(TaskContext task)
    {
        switch (task.Module)
        {
            case "file":
                FileRules(task);
                break;
            case "copy":
                if (task.Args.ContainsKey("src") && task.Bool("remote_src") != true)
                {
                    Block(SafetyRules.ExternalContent, $"{task.Path}.src", "copy src reads a file from the SiemAi host that reviewers never see.", task.Line);
                }
                WriteRules(task, task.Arg("dest"), "dest", removalOnly: false);
                ContentRules(task, "content");
                break;
            case "lineinfile":
            case "blockinfile":
                WriteRules(task, task.Arg("path", "dest", "destfile", "name"), "path", removalOnly: task.Arg("state").Literal == "absent");
                ContentRules(task, "line", "block");
                break;
            case "replace":
                WriteRules(task, task.Arg("path", "dest", "destfile", "name"), "path", removalOnly: false);
                ContentRules(task, "replace");
                break;
            case "get_url":
                WriteRules(task, task.Arg("dest"), "dest", removalOnly: false);
                break;
            case "uri":
                if (task.Args.ContainsKey("src") && task.Bool("remote_src") != true)
                {
                    Block(SafetyRules.ExternalContent, $"{task.Path}.src", "uri src uploads a file from the SiemAi host.", task.Line);
                }
                if (task.Args.ContainsKey("dest"))
                {
                    WriteRules(task, task.Arg("dest"), "dest", removalOnly: false);
                }
                break;
            case "user":
                ProtectedAccountRules(task);
                UserRules(task);
                break;
            case "authorized_key":
                if (task.Arg("state").Literal is null or "present")
                {
                    Block(SafetyRules.Persistence, task.Path, "Adding an SSH key grants lasting access; remediation removes keys, it does not add them.", task.Line);
                }
                break;
            case "cron":
                if (task.Arg("state").Literal is null or "present" && task.Bool("disabled") != true)
                {
                    Block(SafetyRules.Persistence, task.Path, "Adding a cron job schedules code to run again later.", task.Line);
                }
                break;
            case "service":
            case "systemd":
            case "systemd_service":
                ServiceRules(task);
                break;
            case "package":
            case "apt":
            case "dnf":
            case "yum":
                PackageRules(task);
                break;
            case "selinux":
                if (task.Arg("state").Literal is "disabled" or "permissive")
                {
                    Block(SafetyRules.SecurityControlDisabled, $"{task.Path}.state", "SELinux would stop enforcing.", task.Line);
                }
                break;
            case "ufw":
                if (task.Arg("state").Literal is "disabled" or "reset" || task.Arg("default", "policy").Literal is "allow")
                {
                    Block(SafetyRules.SecurityControlDisabled, task.Path, "The host firewall would stop filtering.", task.Line);
                }
                UfwProtectionRules(task);
                break;
            case "iptables":
                if (task.Bool("flush") == true || task.Arg("policy").Literal is { } policy && policy.Equals("ACCEPT", StringComparison.OrdinalIgnoreCase))
                {
                    Block(SafetyRules.SecurityControlDisabled, task.Path, "Flushing rules or a default ACCEPT policy opens the host firewall.", task.Line);
                }
                IptablesProtectionRules(task);
                break;
            case "mount":
                MountRules(task);
                break;
            case "sysctl":
                if (task.Arg("name", "key").Literal is { } key && WeakeningSysctls.TryGetValue(key, out var weak) && task.Arg("value", "val").Literal?.Trim() == weak)
                {
                    Block(SafetyRules.SecurityControlDisabled, $"{task.Path}.value", $"Setting {key}={weak} turns off a kernel hardening.", task.Line);
                }
                else
                {
                    SysctlRules(task);
                }
                break;
            case "set_fact":
                foreach (var fact in task.Args.Keys.Where(k => k.StartsWith("ansible_", StringComparison.Ordinal)))
                {
                    Block(SafetyRules.ConnectionOverride, $"{task.Path}.{fact}", $"Setting the fact '{fact}' changes connection or interpreter settings.", task.Line);
                }
                break;
        }
    }

    private void FileRules(TaskContext task)
    {
        var state = task.Arg("state").Literal;
        var path = task.Arg("path", "dest", "name");
        if (state == "absent")
        {
            var normalized = Path(task, path, "path");
            if (normalized is not null && SensitivePaths.WhyDeleteIsDestructive(normalized) is { } why)
            {
                Block(SafetyRules.DestructivePath, $"{task.Path}.path", $"Deleting {why}", task.Line);
            }
            return;
        }
        if (state is "touch" or "file" or "directory" && (task.Args.ContainsKey("owner") || task.Args.ContainsKey("group") || task.Args.ContainsKey("mode")))
        {
            var normalized = Path(task, path, "path");
            if (normalized is not null && SensitivePaths.WhyWriteIsSensitive(normalized, removalOnly: false) is { Rule: SafetyRules.SensitiveFileWrite } sensitive)
            {
                Block(sensitive.Rule, $"{task.Path}.path", $"Changing ownership or mode: {sensitive.Why}", task.Line);
            }
        }
    }

    private void WriteRules(TaskContext task, ArgValue path, string arg, bool removalOnly)
    {
        var normalized = Path(task, path, arg);
        if (normalized is not null && SensitivePaths.WhyWriteIsSensitive(normalized, removalOnly) is { } sensitive)
        {
            // The issue's line: sensitive writes are refused *without* validation. A known validator
            // (visudo, sshd -t) checks the file before Ansible moves it into place.
            if (sensitive.Rule == SafetyRules.SensitiveFileWrite && task.Arg("validate").Literal is { } validate && KnownValidator().IsMatch(validate)
                && (validate.Contains("visudo", StringComparison.Ordinal) ? normalized == "/etc/sudoers" || normalized.StartsWith("/etc/sudoers.d/", StringComparison.Ordinal)
                    : normalized == "/etc/ssh/sshd_config" || normalized.StartsWith("/etc/ssh/sshd_config.d/", StringComparison.Ordinal)))
            {
                return;
            }

            Block(sensitive.Rule, $"{task.Path}.{arg}", sensitive.Why, task.Line);
        }
    }

    /// <summary>A guarded path argument: it must be present, resolvable and absolute, or the task blocks.</summary>
    private string? Path(TaskContext task, ArgValue path, string arg)
    {
        if (path.IsUnresolved)
        {
            Unresolved(task, arg, path);
            return null;
        }
        if (path.Literal is not { } text)
        {
            return null;
        }
        var normalized = SensitivePaths.Normalize(text);
        if (normalized is null)
        {
            Block(SafetyRules.UnresolvedValue, $"{task.Path}.{arg}", $"'{text}' is not an absolute path, so the gate cannot tell what it touches.", task.Line);
        }
        return normalized;
    }

    private void ContentRules(TaskContext task, params string[] args)
    {
        if (task.Arg("state").Literal is "absent")
        {
            // Removing a NOPASSWD grant or a weakening line is the remediation, not the risk.
            return;
        }

        foreach (var arg in args)
        {
            var value = task.Arg(arg);
            if (value.Literal is not { } content)
            {
                continue;
            }
            if (content.Contains("NOPASSWD", StringComparison.Ordinal))
            {
                Block(SafetyRules.SensitiveFileWrite, $"{task.Path}.{arg}", "The content grants passwordless sudo.", value.Node?.Line ?? task.Line);
            }
            if (WeakeningConfig().IsMatch(content))
            {
                Block(SafetyRules.SecurityControlDisabled, $"{task.Path}.{arg}", "The content weakens SSH or SELinux settings.", value.Node?.Line ?? task.Line);
            }
        }
    }

    private void UserRules(TaskContext task)
    {
        if (task.Arg("state").Literal == "absent" || task.Bool("remove") == true)
        {
            Block(SafetyRules.AccountDeletion, task.Path,
                "Deleting an account destroys its files and evidence; lock it (password_lock, expires, shell /sbin/nologin) instead.", task.Line);
        }
        if (task.Arg("uid").Literal?.Trim() == "0" || task.Bool("non_unique") == true)
        {
            Block(SafetyRules.PrivilegeGrant, $"{task.Path}.uid", "The account would share uid 0 or another account's uid.", task.Line);
        }
        foreach (var group in task.List("groups", "group"))
        {
            if (group.Literal is "sudo" or "wheel" or "admin" or "root" or "adm" or "docker" or "lxd" or "disk" or "shadow")
            {
                Block(SafetyRules.PrivilegeGrant, $"{task.Path}.groups", $"Adding the account to '{group.Literal}' grants administrative power.", task.Line);
            }
        }
    }

    private void ServiceRules(TaskContext task)
    {
        var stopping = task.Arg("state").Literal is "stopped" || task.Bool("enabled") == false || task.Bool("masked") == true;
        if (!stopping)
        {
            return;
        }
        foreach (var name in task.List("name", "service", "unit"))
        {
            if (name.IsUnresolved)
            {
                Unresolved(task, "name", name);
                continue;
            }
            var service = name.Literal!.EndsWith(".service", StringComparison.Ordinal) ? name.Literal[..^8] : name.Literal;
            if (SecurityServices.Contains(service) || options.ProtectedServices.Contains(service, StringComparer.OrdinalIgnoreCase))
            {
                Block(SafetyRules.SecurityControlDisabled, $"{task.Path}.name", $"Stopping or disabling '{service}' blinds the SOC on this host.", task.Line);
            }
            else if (AvailabilityServices.Contains(service))
            {
                Block(SafetyRules.CriticalServiceStop, $"{task.Path}.name", $"Stopping or disabling '{service}' cuts off access to or the basic function of the host.", task.Line);
            }
        }
    }

    private void PackageRules(TaskContext task)
    {
        var state = task.Arg("state").Literal;
        foreach (var name in task.List("name", "pkg", "package"))
        {
            if (name.IsUnresolved)
            {
                Unresolved(task, "name", name);
                continue;
            }
            var package = name.Literal!;
            if (state == "absent" && (CriticalPackages.Contains(package) || package.StartsWith("linux-image", StringComparison.Ordinal) || package.StartsWith("kernel", StringComparison.Ordinal)))
            {
                Block(SafetyRules.CriticalPackageRemoval, $"{task.Path}.name", $"Removing '{package}' breaks the host or its security tooling.", task.Line);
            }
            if (package == "*" && state is "latest")
            {
                Block(SafetyRules.ModuleLimit, $"{task.Path}.name", "Upgrading every package is a maintenance window, not a remediation.", task.Line);
            }
        }
        if (task.Args.ContainsKey("autoremove") && task.Bool("autoremove") != false)
        {
            Block(SafetyRules.ModuleLimit, $"{task.Path}.autoremove", "autoremove removes packages nobody named.", task.Line);
        }
    }

    [GeneratedRegex(@"^([0-7]{3,4}|([ugoa]*[-+=][rwxXst]*)(,[ugoa]*[-+=][rwxXst]*)*)$")]
    private static partial Regex QuotedMode();

    [GeneratedRegex(@"(?im)^\s*(PermitRootLogin\s+yes|PermitEmptyPasswords\s+yes|PasswordAuthentication\s+yes|StrictModes\s+no|SELINUX\s*=\s*(disabled|permissive))")]
    private static partial Regex WeakeningConfig();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(/usr/sbin/|/usr/bin/|/sbin/)?(visudo\s+-c[fsq]*|visudo\s+-c\s+-f|sshd\s+-t(\s+-f)?)\s+%s\s*$")]
    private static partial System.Text.RegularExpressions.Regex KnownValidator();
}
