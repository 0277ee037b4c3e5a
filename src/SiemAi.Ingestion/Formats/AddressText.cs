using System.Net;
using System.Net.Sockets;

namespace SiemAi.Ingestion.Formats;

/// <summary>Strict IP and host text checks: <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone accepts "1" as 0.0.0.1.</summary>
public static class AddressText
{
    public static bool IsIp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !IPAddress.TryParse(value, out var address))
        {
            return false;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? value.Contains(':', StringComparison.Ordinal)
            : value.Count(c => c == '.') == 3;
    }

    /// <summary>"10.0.0.5:9100" / "[::1]:9100" / "web-01:9100" → the host part (Prometheus instance labels carry ports).</summary>
    public static string? StripPort(string? instance)
    {
        if (string.IsNullOrWhiteSpace(instance))
        {
            return null;
        }

        instance = instance.Trim();
        if (instance.StartsWith('[') && instance.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            return instance[1..close];
        }

        if (IsIp(instance))
        {
            return instance;
        }

        var colon = instance.LastIndexOf(':');
        return colon > 0 && instance.Count(c => c == ':') == 1 ? instance[..colon] : instance;
    }

    public static string? IpOrNull(string? value) => IsIp(value?.Trim()) ? value!.Trim() : null;
}
