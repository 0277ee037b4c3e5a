namespace SiemAi.Host;

/// <summary>Which modules this process runs (<c>--roles ingestion,saga,...</c>; all by default).</summary>
public sealed class HostRoles
{
    public static readonly string[] All = ["ingestion", "saga", "generator", "safety", "approvals", "runner"];

    private readonly HashSet<string> roles;

    private HostRoles(IEnumerable<string> roles) => this.roles = new HashSet<string>(roles, StringComparer.Ordinal);

    public static HostRoles Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim() == "all")
        {
            return new HostRoles(All);
        }

        var requested = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => r.ToLowerInvariant()).ToList();
        var unknown = requested.Except(All).ToList();
        return unknown.Count > 0
            ? throw new InvalidOperationException($"--roles: unknown role(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All)}, or all.")
            : new HostRoles(requested);
    }

    public bool Has(string role) => roles.Contains(role);

    public override string ToString() => string.Join(",", All.Where(roles.Contains));
}
