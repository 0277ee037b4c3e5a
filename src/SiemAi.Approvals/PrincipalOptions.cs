namespace SiemAi.Approvals;

/// <summary>One named API-key principal; the key itself is never stored, only its SHA-256.</summary>
public sealed class PrincipalOptions
{
    public string Hash { get; set; } = string.Empty;

    /// <summary>Comma-separated or bound as a list: approver, cab, auditor, admin.</summary>
    public string Roles { get; set; } = string.Empty;
}
