using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SiemAi.Approvals.Api;
using SiemAi.Approvals.Cab;
using SiemAi.Approvals.Review;
using SiemAi.Approvals.Security;
using SiemAi.Http;

namespace SiemAi.Approvals;

public static class ApprovalsModule
{
    /// <summary>Picks JWT bearer when an Authorization: Bearer header is present, the API key otherwise.</summary>
    public const string AuthScheme = "Approvals";

    public static IHostApplicationBuilder AddApprovals(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApprovalsOptions>().BindConfiguration(ApprovalsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<ApprovalsOptions>, ApprovalsOptionsSetup>();
        services.AddSingleton<IncidentReader>();
        services.AddSingleton<ApiKeyPrincipals>();

        var config = builder.Configuration;
        var labMode = Settings.Boolean(config, false, "SIEMAI_LAB_MODE", $"{ApprovalsOptions.Section}:LabMode");
        services.AddSingleton(labMode ? LabKeys.Generate(Console.Error) : LabKeys.None);

        var jwt = config.GetSection($"{ApprovalsOptions.Section}:Jwt").Get<JwtOptions>() ?? new JwtOptions();
        services.AddAuthentication()
            .AddPolicyScheme(AuthScheme, "API key or JWT bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(o => ConfigureJwt(o, jwt));
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ReadPolicy, p => p.AddAuthenticationSchemes(AuthScheme).RequireRole(Roles.All))
            .AddPolicy(Roles.ApprovePolicy, p => p.AddAuthenticationSchemes(AuthScheme).RequireRole(Roles.Approver))
            .AddPolicy(Roles.CabPolicy, p => p.AddAuthenticationSchemes(AuthScheme).RequireRole(Roles.Cab))
            .AddPolicy(Roles.AuditPolicy, p => p.AddAuthenticationSchemes(AuthScheme).RequireRole(Roles.Auditor, Roles.Admin));

        services.AddHttpClient(CabReviewConsumer.HttpClientName)
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 5;
                o.Retry.Delay = TimeSpan.FromMilliseconds(500);
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "siemai_review_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
        });
        services.AddOpenApi("approvals", o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
        return builder;
    }

    public static IEndpointRouteBuilder MapApprovals(this IEndpointRouteBuilder endpoints)
    {
        var port = endpoints.ServiceProvider.GetRequiredService<IOptions<ApprovalsOptions>>().Value.ReviewUiPort;
        var site = endpoints.MapGroup(string.Empty).RequireHost($"*:{port}");
        var api = site.MapGroup("/api");
        api.MapApprovalApi();
        api.MapAuditApi();
        site.MapReviewPages();
        site.MapOpenApi("/api/openapi/{documentName}.json").RequireAuthorization(Roles.ReadPolicy);
        return endpoints;
    }

    public static void AddApprovalsConsumers(this IBusRegistrationConfigurator bus) => bus.AddConsumer<CabReviewConsumer>();

    private static void ConfigureJwt(JwtBearerOptions o, JwtOptions jwt)
    {
        o.MapInboundClaims = false;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            o.Authority = jwt.Authority;
        }

        o.RequireHttpsMetadata = jwt.Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer),
            ValidIssuer = jwt.Issuer,
            ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Audience),
            ValidAudience = jwt.Audience,
            NameClaimType = "sub",
            RoleClaimType = "role",
            IssuerSigningKey = string.IsNullOrEmpty(jwt.SigningKey) ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey)),
        };
        o.Events = new JwtBearerEvents
        {
            OnChallenge = async context =>
            {
                context.HandleResponse();
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "authentication-required", "Authentication required",
                    "Send a valid approver key in X-API-Key or a valid bearer token.");
            },
            OnForbidden = context => Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "Your roles do not allow this action."),
        };
    }
}
