using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace SiemAi.Approvals.Security;

/// <summary>RFC 7807 bodies for the authentication handlers, which answer before any endpoint runs.</summary>
public static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
