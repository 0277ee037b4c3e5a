using System.Security.Claims;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SiemAi.Approvals.Api;
using SiemAi.Approvals.Security;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;

namespace SiemAi.Approvals.Review;

/// <summary>
/// The review UI under <c>/review</c>: sign in with an approver key (kept in an HttpOnly, SameSite=Strict
/// cookie), the queue, an incident page, and decisions. Every form carries an antiforgery token and every
/// POST is checked for it; decisions go through the same rules as the API.
/// </summary>
public static class ReviewPages
{
    public static void MapReviewPages(this IEndpointRouteBuilder site)
    {
        var review = site.MapGroup("/review").ExcludeFromDescription();
        review.MapGet("/site.css", () => Results.Text(ReviewHtml.Css, "text/css"));
        review.MapGet("/login", LoginPageAsync);
        review.MapPost("/login", LoginAsync);
        review.MapPost("/logout", LogoutAsync);
        review.MapGet("/", QueueAsync);
        review.MapGet("/incidents/{id:guid}", IncidentAsync);
        review.MapPost("/incidents/{id:guid}/decisions", DecideAsync);
    }

    private static async Task<IResult> LoginPageAsync(HttpContext http, IAntiforgery antiforgery)
    {
        await SignedInAsync(http);
        return Html(http, 200, ReviewHtml.Page("Sign in", null, null, ReviewHtml.Login(Token(http, antiforgery), null)));
    }

    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, ApiKeyPrincipals principals)
    {
        if (await RefusedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var key = form["key"].ToString();
        if (principals.Authenticate(key) is null)
        {
            return Html(http, 401, ReviewHtml.Page("Sign in", null, null, ReviewHtml.Login(Token(http, antiforgery), "That key is not valid.")));
        }

        http.Response.Cookies.Append(ApiKeyAuthenticationHandler.Cookie, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromHours(8),
        });
        return Results.Redirect("/review", permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        await SignedInAsync(http);
        if (await RefusedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }

        http.Response.Cookies.Delete(ApiKeyAuthenticationHandler.Cookie, new CookieOptions { Path = "/" });
        return Results.Redirect("/review/login");
    }

    private static async Task<IResult> QueueAsync(HttpContext http, IAntiforgery antiforgery, IncidentReader reader, CancellationToken ct)
    {
        if (await SignedInAsync(http) is not { } user)
        {
            return Results.Redirect("/review/login");
        }

        var items = new List<JsonObject>();
        foreach (var status in IncidentStatuses.ReviewQueue)
        {
            items.AddRange((await reader.ListAsync(status.Name(), null, null, null, 1, 500, ct)).Items);
        }

        var ordered = items
            .OrderByDescending(i => SeverityRank(i["severity"]?.ToString()))
            .ThenByDescending(i => i["createdAt"]?.GetValue<DateTimeOffset>())
            .ToList();
        return Html(http, 200, ReviewHtml.Page("Awaiting decision", user, Token(http, antiforgery), ReviewHtml.Queue(ordered)));
    }

    private static async Task<IResult> IncidentAsync(Guid id, string? decided, HttpContext http, IAntiforgery antiforgery, IncidentReader reader, PostgresEventStore store, CancellationToken ct)
    {
        if (await SignedInAsync(http) is not { } user)
        {
            return Results.Redirect("/review/login");
        }

        var notice = decided is "approve" or "deny" or "regenerate" ? $"Your decision ({decided}) was recorded." : null;
        return await IncidentPageAsync(http, antiforgery, reader, store, user, id, 200, null, notice, ct);
    }

    private static async Task<IResult> DecideAsync(Guid id, HttpContext http, IAntiforgery antiforgery, IncidentReader reader, PostgresEventStore store, IPublishEndpoint bus, ILoggerFactory loggers, CancellationToken ct)
    {
        if (await SignedInAsync(http) is not { } user)
        {
            return Results.Redirect("/review/login");
        }

        if (await RefusedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }

        if (!user.IsInRole(Roles.Approver))
        {
            return await IncidentPageAsync(http, antiforgery, reader, store, user, id, 403, "Only approvers can decide; your roles do not include approver.", null, ct);
        }

        var form = await http.Request.ReadFormAsync(ct);
        var decision = form["decision"].ToString();
        var request = new DecisionRequest(decision, form["comment"].ToString() is { Length: > 0 } c ? c : null, form["playbookSha256"].ToString(), form["forApply"] == "true");
        var result = await ApprovalEndpoints.SubmitDecisionAsync(id, user.Identity!.Name!, request, reader, bus, loggers, ct);
        if (result is ProblemHttpResult problem)
        {
            var status = problem.StatusCode;
            return await IncidentPageAsync(http, antiforgery, reader, store, user, id, status, $"{problem.ProblemDetails.Title}: {problem.ProblemDetails.Detail}", null, ct);
        }

        return Results.Redirect($"/review/incidents/{id:D}?decided={Uri.EscapeDataString(decision.ToLowerInvariant())}");
    }

    private static async Task<IResult> IncidentPageAsync(HttpContext http, IAntiforgery antiforgery, IncidentReader reader, PostgresEventStore store, ClaimsPrincipal user, Guid id, int status, string? error, string? notice, CancellationToken ct)
    {
        if (await reader.GetAsync(id, ct) is not { } incident)
        {
            return Html(http, 404, ReviewHtml.Page("No such incident", user, Token(http, antiforgery), ReviewHtml.Message($"Incident {id} does not exist.", null)));
        }

        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(IncidentStream.Id(id), ct: ct))
        {
            events.Add(e);
        }

        var canDecide = user.IsInRole(Roles.Approver) && incident.Status is IncidentStatus.AwaitingApproval or IncidentStatus.CheckSucceeded;
        var token = Token(http, antiforgery);
        var title = incident.Summary["title"]?.ToString() ?? id.ToString();
        return Html(http, status, ReviewHtml.Page(title, user, token, ReviewHtml.Message(error, notice) + ReviewHtml.Incident(incident, events, token, canDecide)));
    }

    /// <summary>The signed-in principal (API key cookie or header, or bearer token), set as the request's user so antiforgery tokens bind to it.</summary>
    private static async Task<ClaimsPrincipal?> SignedInAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(ApprovalsModule.AuthScheme);
        if (result.Succeeded && result.Principal.FindAll(ClaimTypes.Role).Any(r => Roles.All.Contains(r.Value)))
        {
            http.User = result.Principal;
            return result.Principal;
        }

        return null;
    }

    private static async Task<IResult?> RefusedAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Html(http, 400, ReviewHtml.Page("Form expired", null, null, ReviewHtml.Message(
                "This form was not issued by this site for you (missing or stale antiforgery token). Reload the page and try again; nothing was recorded.", null)));
        }
    }

    private static string Token(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{ReviewHtml.E(tokens.FormFieldName)}\" value=\"{ReviewHtml.E(tokens.RequestToken)}\">";
    }

    private static IResult Html(HttpContext http, int status, string html)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static int SeverityRank(string? severity) => severity switch
    {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    };
}
