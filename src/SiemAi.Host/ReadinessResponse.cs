using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SiemAi.Host;

/// <summary>
/// The body of <c>/health/ready</c>: the overall status and each check's status and description, so an
/// operator sees which dependency (postgresql, rabbitmq, migrations, ansible) holds the host back.
/// Exceptions are left out: their messages can carry connection details.
/// </summary>
public static class ReadinessResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }
}
