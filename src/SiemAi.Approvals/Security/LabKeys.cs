using System.Security.Cryptography;
using SiemAi.Http;

namespace SiemAi.Approvals.Security;

/// <summary>
/// Lab mode's throw-away principals (two approvers, a CAB member, an auditor). Keys live only in memory and
/// are shown once on stderr, never through the logger, so they do not end up in log files.
/// </summary>
public sealed class LabKeys
{
    private LabKeys(Dictionary<string, PrincipalOptions> principals) => Principals = principals;

    public IReadOnlyDictionary<string, PrincipalOptions> Principals { get; }

    public static LabKeys None { get; } = new([]);

    public static LabKeys Generate(TextWriter announceTo)
    {
        var principals = new Dictionary<string, PrincipalOptions>(StringComparer.OrdinalIgnoreCase);
        var lines = new List<string> { "SiemAi lab mode: review API keys (shown once; send as X-API-Key or paste on /review/login):" };
        foreach (var (name, role) in new[] { ("approver-1", Roles.Approver), ("approver-2", Roles.Approver), ("cab-1", Roles.Cab), ("auditor-1", Roles.Auditor) })
        {
            var key = "lab_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            principals[name] = new PrincipalOptions { Hash = ApiKeyMatcher.HashOf(key), Roles = role };
            lines.Add($"  {name} ({role}): {key}");
        }

        announceTo.WriteLine(string.Join(Environment.NewLine, lines));
        announceTo.Flush();
        return new LabKeys(principals);
    }
}
