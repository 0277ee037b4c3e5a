using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SiemAi.Ingestion.Security;

/// <summary>
/// Checks <c>X-API-Key</c> against every configured key hash in constant time (all keys are always compared,
/// so timing tells nothing about which one nearly matched) and verifies the body's HMAC when the key has a secret.
/// Reads the options per request, so a configuration reload adds or removes keys without a restart.
/// </summary>
public sealed class ApiKeyAuthenticator(IOptionsMonitor<IngestionOptions> options)
{
    /// <summary>The matching key's name, or null.</summary>
    public (string Name, ApiKeyOptions Key)? Authenticate(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 1024)
        {
            return null;
        }

        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);
        Span<byte> stored = stackalloc byte[32];
        (string, ApiKeyOptions)? match = null;
        foreach (var (name, key) in options.CurrentValue.ApiKeys)
        {
            if (key.Hash.Length != 64 || Convert.FromHexString(key.Hash, stored, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(presented, stored) && match is null)
            {
                match = (name, key);
            }
        }

        return match;
    }
}
