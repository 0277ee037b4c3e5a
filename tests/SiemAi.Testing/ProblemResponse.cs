using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace SiemAi.Testing;

/// <summary>An RFC 7807 error as a client receives it: content type, status and title are what a caller can rely on.</summary>
public static class ProblemResponse
{
    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Asserts the answer is a problem with <paramref name="status"/> and <paramref name="title"/>; returns its body.</summary>
    public static async Task<JsonObject> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var problem = await ReadAsync(response);
        Assert.Equal(title, (string?)problem["title"]);
        Assert.Equal((int)status, (int?)problem["status"]);
        return problem;
    }
}
