using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SiemAi.Http;

namespace SiemAi.Approvals;

/// <summary>Lets the flat, documented environment names override the "Approvals" section.</summary>
public sealed class ApprovalsOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<ApprovalsOptions>
{
    public void PostConfigure(string? name, ApprovalsOptions options)
    {
        if (configuration["REVIEW_UI_PORT"] is { } port)
        {
            options.ReviewUiPort = int.TryParse(port, out var p) ? p : -1;
        }

        if (configuration["CAB_WEBHOOK"] is { Length: > 0 } webhook)
        {
            options.CabWebhook = Uri.TryCreate(webhook, UriKind.Absolute, out var uri) ? uri : throw new OptionsValidationException(nameof(ApprovalsOptions), typeof(ApprovalsOptions), [$"CAB_WEBHOOK must be an absolute URL, not '{webhook}'."]);
        }

        if (configuration["CAB_CALLBACK_SECRET"] is { Length: > 0 } secret)
        {
            options.CabCallbackSecret = secret;
        }

        if (configuration["SIEMAI_LAB_MODE"] is { Length: > 0 } lab)
        {
            options.LabMode = Settings.Boolean("SIEMAI_LAB_MODE", lab);
        }
    }
}
