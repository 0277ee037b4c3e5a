using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace SiemAi.Host;

/// <summary>
/// A request that needs PostgreSQL while no primary is reachable (a failover, a restart) is answered
/// <c>503 urn:siemai:problem:database-unavailable</c> with <c>Retry-After</c>, like the webhook's alerts: an approver's
/// client (or the review page) tries again, and nothing was accepted. Without this an approval decision taken during
/// a failover would get a bare 500.
/// </summary>
internal sealed class DatabaseUnavailableProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not NpgsqlException npgsql || !DatabaseFailover.IsFailover(npgsql) || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = "urn:siemai:problem:database-unavailable",
                Title = "Database unavailable",
                Detail = "Nothing was accepted; try again in a moment.",
                Instance = httpContext.Request.Path,
            },
        });
    }
}
