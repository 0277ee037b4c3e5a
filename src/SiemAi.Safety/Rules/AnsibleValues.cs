using System.Text.RegularExpressions;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>How Ansible reads scalar values: its lenient booleans, octal modes, and Jinja expressions.</summary>
internal static partial class AnsibleValues
{
    private static readonly HashSet<string> Truthy = new(StringComparer.OrdinalIgnoreCase) { "true", "yes", "on", "y", "t", "1" };
    private static readonly HashSet<string> Falsy = new(StringComparer.OrdinalIgnoreCase) { "false", "no", "off", "n", "f", "0" };

    /// <summary>
    /// Ansible converts keyword and module booleans from YAML 1.1 spellings and from strings alike
    /// (<c>check_mode: "No"</c> is false), so quoting does not matter. Null = not a boolean Ansible would accept, or templated.
    /// </summary>
    public static bool? Boolean(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var t = text.Trim();
        return Truthy.Contains(t) ? true : Falsy.Contains(t) ? false : null;
    }

    public static bool IsTemplated(string text) => text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    /// <summary>True for a mode that lets others write, or sets setuid/setgid; octal or symbolic.</summary>
    public static bool IsInsecureMode(string mode)
    {
        var m = mode.Trim();
        if (OctalMode().IsMatch(m))
        {
            var value = Convert.ToInt32(m, 8);
            return (value & 0b000_000_010) != 0 || (value & 0b110_000_000_000) != 0;
        }
        // Symbolic: any clause that grants write to others/all, or s to anyone.
        foreach (var clause in m.Split(','))
        {
            var match = SymbolicClause().Match(clause.Trim());
            if (!match.Success)
            {
                continue;
            }
            var who = match.Groups[1].Value;
            var op = match.Groups[2].Value;
            var perms = match.Groups[3].Value;
            if (op == "-")
            {
                continue;
            }
            if (perms.Contains('s', StringComparison.Ordinal))
            {
                return true;
            }
            if (perms.Contains('w', StringComparison.Ordinal) && (who.Length == 0 || who.Contains('o', StringComparison.Ordinal) || who.Contains('a', StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A YAML 1.1 plain integer with a leading 0 is octal; Ansible then sees the decimal value. Give the octal text back.</summary>
    public static string ModeText(ScalarNode node)
    {
        if (node.Plain && PlainDecimal().IsMatch(node.Value) && !node.Value.StartsWith('0'))
        {
            // e.g. `mode: 511` is decimal 511 = 0777 to Ansible.
            return Convert.ToString(int.Parse(node.Value, System.Globalization.CultureInfo.InvariantCulture), 8);
        }
        return node.Value.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? node.Value[2..] : node.Value;
    }

    [GeneratedRegex("^[0-7]{3,4}$")]
    private static partial Regex OctalMode();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex PlainDecimal();

    [GeneratedRegex("^([ugoa]*)([-+=])([rwxXst]*)$")]
    private static partial Regex SymbolicClause();
}
