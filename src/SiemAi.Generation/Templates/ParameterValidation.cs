using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SiemAi.Generation.Templates;

/// <summary>
/// Type checks for alert-derived values. A value that passes is still emitted as an Ansible
/// <c>!unsafe</c> literal; validation is the second wall (an IP must be an IP, a user a user name).
/// </summary>
public static partial class ParameterValidation
{
    public const int MaxTextLength = 1024;

    /// <summary>Returns the canonical form of <paramref name="value"/>, or null with <paramref name="error"/> set.</summary>
    public static string? Normalize(ParameterType type, string value, out string? error)
    {
        error = null;
        var result = type switch
        {
            ParameterType.Ip => Ip(value),
            ParameterType.Cidr => Cidr(value),
            ParameterType.User => UserRegex().IsMatch(value) ? value : null,
            ParameterType.Path => AbsolutePath(value),
            ParameterType.Unit => UnitRegex().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal) ? value : null,
            ParameterType.Port => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
                ? port.ToString(CultureInfo.InvariantCulture)
                : null,
            ParameterType.Sha256 => Sha256Regex().IsMatch(value) ? value.ToLowerInvariant() : null,
            ParameterType.Domain => DomainRegex().IsMatch(value) ? value.TrimEnd('.').ToLowerInvariant() : null,
            ParameterType.Package => PackageRegex().IsMatch(value) ? value : null,
            ParameterType.SshPublicKey => SshKeyRegex().IsMatch(value) ? value : null,
            ParameterType.Text => value.Length <= MaxTextLength ? value : value[..MaxTextLength],
            _ => null,
        };
        if (result is null)
        {
            error = $"is not a valid {Describe(type)}";
        }

        return result;
    }

    /// <summary>An inventory host name, address or group name usable as <c>hosts:</c>; never a pattern, never <c>all</c>.</summary>
    public static bool IsValidTarget(string? asset)
    {
        if (string.IsNullOrEmpty(asset) || asset.Length > 253)
        {
            return false;
        }

        if (string.Equals(asset, "all", StringComparison.OrdinalIgnoreCase) || string.Equals(asset, "ungrouped", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return HostRegex().IsMatch(asset) || (Ip(asset) is { } ip && ip == asset);
    }

    public static string Describe(ParameterType type) => type switch
    {
        ParameterType.Ip => "IP address (loopback and unspecified addresses are refused)",
        ParameterType.Cidr => "CIDR block of /16 or narrower (IPv6: /32 or narrower)",
        ParameterType.User => "user name",
        ParameterType.Path => "absolute path (no '..', control characters or template delimiters)",
        ParameterType.Unit => "systemd unit name",
        ParameterType.Port => "port number 1-65535",
        ParameterType.Sha256 => "SHA-256 hex digest",
        ParameterType.Domain => "domain name",
        ParameterType.Package => "package name",
        ParameterType.SshPublicKey => "OpenSSH public key",
        ParameterType.Text => "text",
        _ => type.ToString(),
    };

    private static string? Ip(string value)
    {
        // IPAddress.TryParse accepts shorthand like "10.1" or "0x7f.1"; only dotted quads and real IPv6 text pass here.
        if (!(Ipv4Regex().IsMatch(value) || (value.Contains(':', StringComparison.Ordinal) && Ipv6CharsRegex().IsMatch(value))))
        {
            return null;
        }

        if (!IPAddress.TryParse(value, out var address))
        {
            return null;
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return null;
        }

        // "010.0.0.1" parses (as octal on some stacks); an address must read the same to every tool.
        if (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != value)
        {
            return null;
        }

        return address.ToString();
    }

    private static string? Cidr(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || Ip(value[..slash]) is not { } ip
            || !int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return null;
        }

        var v4 = IPAddress.Parse(ip).AddressFamily == AddressFamily.InterNetwork;
        var ok = v4 ? prefix is >= 16 and <= 32 : prefix is >= 32 and <= 128;
        return ok ? $"{ip}/{prefix.ToString(CultureInfo.InvariantCulture)}" : null;
    }

    private static string? AbsolutePath(string value)
    {
        if (value.Length is 0 or > 4096 || value[0] != '/' || value.Any(char.IsControl))
        {
            return null;
        }

        if (value.Contains("{{", StringComparison.Ordinal) || value.Contains("{%", StringComparison.Ordinal) || value.Contains("{#", StringComparison.Ordinal))
        {
            return null;
        }

        var segments = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            return null;
        }

        return "/" + string.Join('/', segments);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$")]
    private static partial Regex UserRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9:_.@-]{0,254}$")]
    private static partial Regex UnitRegex();

    [GeneratedRegex(@"^[A-Fa-f0-9]{64}$")]
    private static partial Regex Sha256Regex();

    [GeneratedRegex(@"^(?=.{1,253}\.?$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]\.?$")]
    private static partial Regex DomainRegex();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$")]
    private static partial Regex PackageRegex();

    [GeneratedRegex(@"^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}(?: [A-Za-z0-9@._+-]{1,100})?$")]
    private static partial Regex SshKeyRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$")]
    private static partial Regex HostRegex();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex Ipv4Regex();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]{2,45}$")]
    private static partial Regex Ipv6CharsRegex();
}
