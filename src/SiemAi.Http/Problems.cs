using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SiemAi.Http;

/// <summary>
/// RFC 7807 problem details with one <c>type</c> scheme, <c>urn:siemai:problem:&lt;slug&gt;</c>, and the request
/// path as <c>instance</c>. Endpoint results go through the framework's problem writer (which adds <c>traceId</c>);
/// authentication handlers, which answer before any endpoint runs, write the body themselves.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:siemai:problem:";

    public static string Type(string slug) => TypePrefix + slug;

    /// <summary>A problem naming the offending <c>field</c> (a header, <c>body</c>, or a JSON path), plus any <paramref name="extensions"/> after it.</summary>
    public static ProblemHttpResult Of(HttpContext context, int status, string slug, string title, string detail, string field,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = Type(slug),
            Title = title,
            Detail = detail,
            Instance = context.Request.Path,
            Extensions = { ["field"] = field },
        };
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>A 422 validation problem with <c>errors</c> (field → messages); <c>field</c> names the first.</summary>
    public static ProblemHttpResult Invalid(HttpContext context, IDictionary<string, string[]> errors, string slug, string title, string detail)
    {
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Type = Type(slug),
            Title = title,
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["field"] = errors.Keys.First();
        return TypedResults.Problem(problem);
    }

    /// <summary>Writes a problem straight to the response (for authentication handlers); nothing when the response has started.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string slug, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Type = Type(slug), Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
