using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SiemAi.Host;

/// <summary>
/// A body or query parameter the minimal APIs cannot bind (broken JSON, a word for a number, a wrong content
/// type) becomes a problem that says which parameter and why, with the status the framework chose (400, 415).
/// Outside development the framework would answer these with a bare "Bad Request" that names nothing.
/// </summary>
internal sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Detail = bad.Message, Instance = httpContext.Request.Path },
        });
    }
}
