using System.Net;
using System.Text;
using SiemAi.Testing;

namespace SiemAi.Operations.Tests;

public sealed class When_secrets_are_configured(OperationsFixture ops) : IClassFixture<OperationsFixture>
{
    [Fact]
    public async Task Reads_each_secret_from_its_file_as_mounted_secrets_are()
    {
        var key = "file-" + Guid.NewGuid().ToString("N");
        var env = ops.Environment(key);
        foreach (var name in new[] { "DB_PASSWORD", "RABBITMQ_PASSWORD", "API_KEY" })
        {
            var path = Path.Combine(ops.Scratch, $"{name}-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(path, env[name] + "\n"); // secret files usually end with a newline
            env[name] = string.Empty; // the test runner's own environment has it; the host must not see it
            env[$"{name}_FILE"] = path;
        }

        await using var host = new HostProcess(env);
        await host.StartAsync(TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "ingest/generic")
        {
            Content = new StringContent("""{"source":"lab","title":"secret files","severity":"low","host":"lab-target"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-Key", key);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_secret_given_both_directly_and_as_a_file()
    {
        var env = ops.Environment("both-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(ops.Scratch, $"api-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, "another-key-" + Guid.NewGuid().ToString("N"));
        env["API_KEY_FILE"] = path;

        var output = await OperationsFixture.RefusedStartAsync(env);

        Assert.Contains("Both API_KEY and API_KEY_FILE are set", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_default_secret_outside_lab_mode_without_printing_it()
    {
        var env = ops.Environment("weak-" + Guid.NewGuid().ToString("N"));
        env["CAB_CALLBACK_SECRET"] = "changeme";

        var output = await OperationsFixture.RefusedStartAsync(env);

        Assert.Contains("Refusing to start with empty, default or short", output, StringComparison.Ordinal);
        Assert.Contains("CAB_CALLBACK_SECRET", output, StringComparison.Ordinal);
        Assert.DoesNotContain("changeme", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_with_lab_values_in_lab_mode()
    {
        var env = ops.Environment("lab-" + Guid.NewGuid().ToString("N"));
        env["CAB_CALLBACK_SECRET"] = "changeme";
        env["SIEMAI_LAB_MODE"] = "true";

        await using var host = new HostProcess(env);
        await host.StartAsync(TimeSpan.FromSeconds(90));

        Assert.False(host.HasExited);
    }
}
