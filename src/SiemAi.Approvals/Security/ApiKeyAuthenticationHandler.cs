using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiemAi.Http;

namespace SiemAi.Approvals.Security;

/// <summary>Authenticates <c>X-API-Key</c> (or the review UI's login cookie) against the named approver keys.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyPrincipals principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApprovalsApiKey";
    public const string Header = "X-API-Key";
    public const string Cookie = "siemai_review_key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = Request.Headers[Header];
        key ??= Request.Cookies[Cookie];
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (principals.Authenticate(key) is not { } match)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name), new("auth_method", "api_key") };
        claims.AddRange(match.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "authentication-required", "Authentication required",
            "Send a valid approver key in X-API-Key or a bearer token.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "Your roles do not allow this action.");
}
