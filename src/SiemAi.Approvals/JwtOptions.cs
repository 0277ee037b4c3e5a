namespace SiemAi.Approvals;

/// <summary>JWT bearer validation: an OIDC authority (keys from discovery) or a symmetric signing key.</summary>
public sealed class JwtOptions
{
    public string? Authority { get; set; }
    public string? Issuer { get; set; }
    public string? Audience { get; set; }
    public string? SigningKey { get; set; }
}
