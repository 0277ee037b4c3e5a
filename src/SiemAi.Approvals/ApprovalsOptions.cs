using System.ComponentModel.DataAnnotations;

namespace SiemAi.Approvals;

/// <summary>Approvals settings (section "Approvals"; the flat names REVIEW_UI_PORT, CAB_WEBHOOK, CAB_CALLBACK_SECRET, SIEMAI_LAB_MODE also work).</summary>
public sealed class ApprovalsOptions
{
    public const string Section = "Approvals";

    [Range(1, 65535)]
    public int ReviewUiPort { get; set; } = 8088;

    /// <summary>Where change requests are POSTed (ServiceNow-style); none means CAB requests are only logged.</summary>
    public Uri? CabWebhook { get; set; }

    /// <summary>Shared secret for the HMAC-SHA256 signature on <c>POST /api/cab/callback</c>.</summary>
    public string? CabCallbackSecret { get; set; }

    /// <summary>Base URL put in change-request links; defaults to http://127.0.0.1:{ReviewUiPort}.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public bool LabMode { get; set; }

    /// <summary>Named API keys: SHA-256 (lower hex) of the key and the principal's roles.</summary>
    public Dictionary<string, PrincipalOptions> Principals { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public JwtOptions Jwt { get; set; } = new();

    public Uri BaseUrl => PublicBaseUrl ?? new Uri($"http://127.0.0.1:{ReviewUiPort}/");
}
