using Microsoft.Extensions.Options;
using SiemAi.Http;

namespace SiemAi.Ingestion.Security;

/// <summary>
/// Finds the configured ingestion key for <c>X-API-Key</c> (<see cref="ApiKeyMatcher"/>: constant-time, every hash
/// compared); the caller then verifies the body's HMAC when the key has a secret. Reads the options per request,
/// so a configuration reload adds or removes keys without a restart.
/// </summary>
public sealed class ApiKeyAuthenticator(IOptionsMonitor<IngestionOptions> options)
{
    /// <summary>The matching key's name, or null.</summary>
    public (string Name, ApiKeyOptions Key)? Authenticate(string? presentedKey) =>
        ApiKeyMatcher.TryMatch(presentedKey, options.CurrentValue.ApiKeys, k => k.Value.Hash, out var match)
            ? (match.Key, match.Value)
            : null;
}
