using System.Text.RegularExpressions;

namespace SiemAi.Safety.Rules;

/// <summary>Commands that destroy data, lock people out, blind the defenders or fetch code to run.</summary>
internal static partial class DestructiveCommands
{
    private static readonly (Regex Pattern, string Reason)[] Patterns =
    [
        // A system directory, its contents, or anything at most one level below it (/etc/ssh, /var/www/*);
        // deeper, named paths such as /var/tmp/siemai-quarantine-123 are ordinary clean-up.
        (Rx(@"\brm\s+(-[a-zA-Z]*[rRf][a-zA-Z]*\s+|--no-preserve-root\s+)+(/\*?|/tmp/?\*?|/(bin|boot|dev|etc|lib|lib64|opt|proc|root|sbin|srv|sys|usr|var|home)(/\*?|/[^\s/;&|]+/?\*?)?)(\s|$|;|&|\|)"), "deletes recursively under a system path"),
        (Rx(@"\bmkfs(\.\w+)?\b|\bwipefs\b|\bshred\b"), "formats or wipes storage"),
        (Rx(@"\bdd\b[^|;&]*\bof=/dev/"), "writes raw to a device"),
        (Rx(@"(^|[;&|\s/])(shutdown|reboot|halt|poweroff)\b|\binit\s+[06]\b|systemctl\s+(reboot|poweroff|halt)"), "shuts down or reboots the host"),
        (Rx(@"\biptables(-legacy|-nft)?\s+(-[a-zA-Z]*\s+)*(-F|--flush|-X|-P\s+\w+\s+ACCEPT)|\bnft\s+flush\s+ruleset|\bufw\s+disable|\bfirewall-cmd\s+--panic-off|systemctl\s+(stop|disable|mask)\s+(firewalld|ufw|nftables|iptables)"), "removes the firewall"),
        (Rx(@"\bsetenforce\s+0\b|selinux=disabled|\baa-disable\b|systemctl\s+(stop|disable)\s+apparmor"), "switches off mandatory access control"),
        (Rx(@"\bhistory\s+-c\b|unset\s+HISTFILE|HISTSIZE=0|>\s*~?/?\S*\.bash_history|\bshred\b.*history|\brm\b.*(\.bash_history|/var/log)"), "wipes history or logs"),
        (Rx(@"\buserdel\b|\bdeluser\b|\bgroupdel\b|\bpasswd\s+(-d|--delete)\b"), "deletes accounts or passwords"),
        (Rx(@"\bchmod\s+(-[a-zA-Z]+\s+)*(0?777|a\+rwx|o\+w|ugo\+rwx)\b"), "makes files world-writable"),
        (Rx(@"\b(curl|wget|fetch)\b[^|;]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b|\b(bash|sh)\s+<\(\s*(curl|wget)|\bpython[0-9.]*\s+-c\s+.*(urlopen|requests\.get)"), "downloads code and runs it"),
        (Rx(@"\b(pkill|killall|kill)\b.*\b(sshd|auditd|rsyslogd|syslog-ng|falcon-sensor|osqueryd|wazuh|ossec|clamd|crowdstrike)\b|systemctl\s+(stop|disable|mask|kill)\s+(ssh|sshd|auditd|rsyslog|wazuh-agent|osqueryd|falcon-sensor|clamav-daemon)\b|\bauditctl\s+-e\s*0|\bauditctl\s+-D\b"), "stops remote access or a security tool"),
        (Rx(@">\s*/etc/(passwd|shadow|sudoers|group)\b|\bvisudo\b.*-f|\bsed\s+-i\b.*\s/etc/(sudoers|passwd|shadow)"), "overwrites an identity file without validation"),
        (Rx(@"\bkill\s+(-\S+\s+)*-?1(\s|$)|\bkill\s+(-\S+\s+)*-1\b|\bpkill\s+(-\S+\s+)*(systemd|init|sshd|mdatp|wdavdaemon|splunkd|filebeat|fail2ban|auditd|wazuh)"), "signals pid 1, every process, or a protected process"),
        (Rx(@"\bcrontab\s+-r\b|\b:\(\)\s*\{"), "destroys scheduled jobs or forks without end"),
    ];

    /// <summary>Why the command is destructive, or null when no pattern matches.</summary>
    public static string? Match(string command)
    {
        foreach (var (pattern, reason) in Patterns)
        {
            if (pattern.IsMatch(command))
            {
                return reason;
            }
        }

        return null;
    }

    private static Regex Rx(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
}
