using System.Security.Cryptography;
using System.Text;

namespace SiemAi.Contracts;

/// <summary>
/// The signature header our HTTP callers send (the signed ingest webhook, the CAB callback):
/// <c>sha256=&lt;hex of HMAC-SHA256(secret, body)&gt;</c>, the form GitHub and most SIEMs use.
/// Part of the wire contract, so it lives with the contracts; compared in constant time.
/// </summary>
public static class BodySignature
{
    public const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Matches(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length != Prefix.Length + 64)
        {
            return false;
        }

        Span<byte> claimed = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, actual);
        return CryptographicOperations.FixedTimeEquals(actual, claimed);
    }
}
