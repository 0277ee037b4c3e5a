using SiemAi.Contracts;

namespace SiemAi.Generation.Tests;

/// <summary>Realistic alerts, one per remediation scenario, as ingestion would normalise them.</summary>
internal static class Alerts
{
    public const string SshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3yQk0kq8m2X5mP4sZ1b2c3d4e5f6g7h8i9j0k1l2m attacker@evil";

    public static NormalizedAlert Base(string title, string asset = "web-01") => new()
    {
        AlertId = Guid.NewGuid(),
        SourceSystem = "wazuh",
        Format = "wazuh",
        Title = title,
        Severity = Severity.High,
        Asset = asset,
        ObservedAt = DateTimeOffset.Parse("2025-05-01T10:00:00Z"),
        ReceivedAt = DateTimeOffset.Parse("2025-05-01T10:00:02Z"),
        Fingerprint = Guid.NewGuid().ToString("N"),
        RawPayload = "{}",
    };

    /// <summary>Template id → an alert that template is for.</summary>
    public static IReadOnlyDictionary<string, NormalizedAlert> ByTemplate { get; } = new Dictionary<string, NormalizedAlert>
    {
        ["ssh-brute-force"] = Base("sshd: brute force trying to get access to the system") with
        {
            RuleId = "5712", RuleName = "sshd brute force", SourceIp = "203.0.113.45", DestinationPort = 22,
            MitreTechniques = ["T1110"], Category = "authentication_failure",
        },
        ["compromised-account"] = Base("Impossible travel: login for alice from two countries") with
        {
            RuleId = "siemai.compromised_account", User = "alice", SourceIp = "198.51.100.7", MitreTechniques = ["T1078"],
            Category = "account-compromise",
        },
        ["planted-ssh-key"] = Base("New SSH public key added to authorized_keys") with
        {
            RuleId = "siemai.ssh_key_added", User = "deploy", MitreTechniques = ["T1098.004"],
            Fields = new Dictionary<string, string> { ["ssh_key"] = SshKey },
        },
        ["cryptominer"] = Base("Cryptocurrency miner xmrig running as a service") with
        {
            MitreTechniques = ["T1496"], Process = "/usr/local/bin/xmrig", Category = "cryptomining",
            Fields = new Dictionary<string, string> { ["unit"] = "xmrig.service", ["package"] = "xmrig" },
        },
        ["malware-file"] = Base("ClamAV: virus detected Unix.Trojan.Mirai") with
        {
            RuleId = "52502", FilePath = "/tmp/.x/mirai.arm", MitreTechniques = ["T1204.002"], Category = "malware",
            FileHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        },
        ["c2-beacon"] = Base("Periodic beaconing to known Cobalt Strike server") with
        {
            DestinationIp = "192.0.2.66", DestinationPort = 443, MitreTechniques = ["T1071.001"], Category = "command-and-control",
            Fields = new Dictionary<string, string> { ["domain"] = "cdn-update.example.net" },
        },
        ["web-attack"] = Base("SQL injection attempt against /login.php") with
        {
            RuleId = "31103", SourceIp = "203.0.113.99", MitreTechniques = ["T1190"], Category = "web-attack",
        },
        ["cron-persistence"] = Base("New cron job created in /etc/cron.d") with
        {
            RuleId = "siemai.cron_persistence", FilePath = "/etc/cron.d/updater", MitreTechniques = ["T1053.003"],
        },
        ["systemd-persistence"] = Base("New systemd service created by non-package process") with
        {
            RuleId = "siemai.systemd_persistence", FilePath = "/etc/systemd/system/dbus-helper.service", MitreTechniques = ["T1543.002"],
        },
        ["sudoers-tampering"] = Base("NOPASSWD sudoers rule added for user mallory") with
        {
            RuleId = "siemai.sudoers_tampering", User = "mallory", FilePath = "/etc/sudoers.d/99-mallory", MitreTechniques = ["T1548.003"],
        },
        ["security-tool-disabled"] = Base("auditd was stopped") with
        {
            RuleId = "siemai.security_tool_disabled", Process = "/sbin/auditd", MitreTechniques = ["T1562.001"],
            Fields = new Dictionary<string, string> { ["unit"] = "auditd" },
        },
        ["port-scan"] = Base("Nmap SYN port scan detected") with
        {
            SourceIp = "198.51.100.23", MitreTechniques = ["T1046"], Category = "port-scan",
        },
        ["data-exfiltration"] = Base("Unusual outbound volume: 4 GB to unknown host") with
        {
            DestinationIp = "192.0.2.200", DestinationPort = 443, User = "bob", FilePath = "/home/bob/.cache/backup.tar.gz",
            MitreTechniques = ["T1048"], Category = "exfiltration",
        },
    };

    public static IEnumerable<object[]> TemplateIds() => ByTemplate.Keys.Select(k => new object[] { k });
}
