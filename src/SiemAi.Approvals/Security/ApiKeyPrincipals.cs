using Microsoft.Extensions.Options;
using SiemAi.Http;

namespace SiemAi.Approvals.Security;

/// <summary>
/// Named approver API keys, known only by their SHA-256 (<see cref="ApiKeyMatcher"/>: constant-time, every hash
/// compared), plus the generated lab keys in lab mode.
/// </summary>
public sealed class ApiKeyPrincipals(IOptionsMonitor<ApprovalsOptions> options, LabKeys lab)
{
    public (string Name, IReadOnlyList<string> Roles)? Authenticate(string? presentedKey) =>
        ApiKeyMatcher.TryMatch(presentedKey, options.CurrentValue.Principals.Concat(lab.Principals), p => p.Value.Hash, out var match)
            ? (match.Key, ParseRoles(match.Value.Roles))
            : null;

    public static IReadOnlyList<string> ParseRoles(string roles) =>
        roles.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .Where(r => Roles.All.Contains(r))
            .ToList();
}
