using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace SiemAi.Http;

/// <summary>
/// Matches a presented API key against principals known only by the SHA-256 of their keys. Every configured hash of
/// every principal is compared, each in constant time, so the time taken says nothing about which key nearly
/// matched. A principal may list several hashes (comma-separated) so a key can be rotated without renaming the
/// principal; several principals at once work too.
/// </summary>
public static class ApiKeyMatcher
{
    /// <summary>Longer keys are refused before hashing (no one needs them; it bounds the work an anonymous caller causes).</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes, as configured (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// The principal whose hashes (<paramref name="hashesOf"/>: one or more 64-hex SHA-256, comma-separated, either
    /// case) include the key's; the first such in enumeration order. Malformed hashes never match.
    /// </summary>
    public static bool TryMatch<T>(string? presentedKey, IEnumerable<T> principals, Func<T, string?> hashesOf, [MaybeNullWhen(false)] out T match)
    {
        match = default;
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > MaxKeyLength)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);
        Span<byte> stored = stackalloc byte[32];
        var found = false;
        foreach (var principal in principals)
        {
            foreach (var hash in (hashesOf(principal) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (hash.Length != 64 || Convert.FromHexString(hash, stored, out _, out var written) != OperationStatus.Done || written != 32)
                {
                    continue;
                }

                if (CryptographicOperations.FixedTimeEquals(presented, stored) && !found)
                {
                    match = principal;
                    found = true;
                }
            }
        }

        return found;
    }
}
