using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SiemAi.Http.Tests;

public sealed class When_a_problem_is_written
{
    [Fact]
    public async Task An_authentication_handler_answers_an_rfc7807_body_with_the_one_type_scheme()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/incidents";
        using var body = new MemoryStream();
        context.Response.Body = body;

        await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "authentication-required", "Authentication required", "Send a valid approver key.");

        Assert.Equal(401, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body.ToArray());
        var root = json.RootElement;
        Assert.Equal("urn:siemai:problem:authentication-required", root.GetProperty("type").GetString());
        Assert.Equal("Authentication required", root.GetProperty("title").GetString());
        Assert.Equal(401, root.GetProperty("status").GetInt32());
        Assert.Equal("Send a valid approver key.", root.GetProperty("detail").GetString());
        Assert.Equal("/api/incidents", root.GetProperty("instance").GetString());
    }

    [Fact]
    public void An_endpoint_problem_names_its_field_first_and_keeps_the_callers_extensions()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/services/collector/event";

        var result = Problems.Of(context, 400, "invalid-json", "Invalid JSON", "Line 1 is not JSON.", "body",
            [new("text", "Invalid data format"), new("code", 6)]);

        var problem = result.ProblemDetails;
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("urn:siemai:problem:invalid-json", problem.Type);
        Assert.Equal("/services/collector/event", problem.Instance);
        Assert.Equal(["field", "text", "code"], problem.Extensions.Keys);
        Assert.Equal("body", problem.Extensions["field"]);
        Assert.Equal(6, problem.Extensions["code"]);
    }

    [Fact]
    public void A_validation_problem_lists_every_field_and_names_the_first()
    {
        var context = new DefaultHttpContext();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["$.severity"] = ["unknown severity"], ["$.title"] = ["required"] };

        var result = Problems.Invalid(context, errors, "invalid-alert", "The alert is not valid", "2 fields are invalid.");

        var problem = Assert.IsType<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>(result.ProblemDetails);
        Assert.Equal(422, result.StatusCode);
        Assert.Equal("urn:siemai:problem:invalid-alert", problem.Type);
        Assert.Equal("$.severity", problem.Extensions["field"]);
        Assert.Equal(["$.severity", "$.title"], problem.Errors.Keys);
    }

    [Fact]
    public async Task Nothing_is_written_once_the_response_has_started()
    {
        var context = new DefaultHttpContext();
        var feature = new StartedResponse();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(feature);

        await Problems.WriteAsync(context, 403, "forbidden", "Forbidden", "Your roles do not allow this action.");

        Assert.Equal(200, feature.StatusCode);
    }

    private sealed class StartedResponse : Microsoft.AspNetCore.Http.Features.HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
