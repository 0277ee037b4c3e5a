using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SiemAi.Approvals.Security;

/// <summary>
/// Named approver API keys, known only by their SHA-256. Every configured hash is compared in constant time,
/// so the time taken says nothing about which key nearly matched.
/// </summary>
public sealed class ApiKeyPrincipals(IOptionsMonitor<ApprovalsOptions> options, LabKeys lab)
{
    public (string Name, IReadOnlyList<string> Roles)? Authenticate(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 1024)
        {
            return null;
        }

        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);
        Span<byte> stored = stackalloc byte[32];
        (string, IReadOnlyList<string>)? match = null;
        foreach (var (name, principal) in options.CurrentValue.Principals.Concat(lab.Principals))
        {
            if (principal.Hash.Length != 64 || Convert.FromHexString(principal.Hash, stored, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(presented, stored) && match is null)
            {
                match = (name, ParseRoles(principal.Roles));
            }
        }

        return match;
    }

    public static IReadOnlyList<string> ParseRoles(string roles) =>
        roles.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .Where(r => Roles.All.Contains(r))
            .ToList();

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
