using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace SiemAi.Ingestion.Webhook;

/// <summary>RFC 7807 problem details; every one names the offending <c>field</c> (a header, <c>body</c>, or a JSON path).</summary>
internal static class Problems
{
    public const string TypePrefix = "urn:siemai:problem:";

    public static IResult Of(HttpContext context, int status, string slug, string title, string detail, string field) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Type = TypePrefix + slug,
            Title = title,
            Detail = detail,
            Instance = context.Request.Path,
            Extensions = { ["field"] = field },
        });

    public static IResult Invalid(HttpContext context, IDictionary<string, string[]> errors, string detail)
    {
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Type = TypePrefix + "invalid-alert",
            Title = "The alert is not valid",
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["field"] = errors.Keys.First();
        return TypedResults.Problem(problem);
    }
}
