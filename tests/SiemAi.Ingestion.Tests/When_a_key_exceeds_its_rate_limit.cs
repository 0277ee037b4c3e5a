using System.Net;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

public sealed class When_a_key_exceeds_its_rate_limit : IAsyncLifetime
{
    private ScratchDatabase database = null!;
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        database = await IngestionDatabase.CreateAsync("rate");
        app = await TestApp.StartAsync(database, s =>
        {
            s.Remove("Ingestion:RateLimit");
            s["RATE_LIMIT"] = "3 per minute";
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Answers_429_with_retry_after_once_the_seed_style_limit_is_used_up_per_key()
    {
        const string body = """{"source":"ids","title":"Beacon","severity":"low"}""";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/ingest/generic", body)).StatusCode);
        }

        var limited = await app.PostAsync("/ingest/generic", body);
        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, "X-API-Key");
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);

        // Another key has its own allowance.
        var signed = app.Request("/ingest/generic", body, key: TestApp.SignedKey);
        signed.Headers.Add("X-Signature-256", Keys.Sign(TestApp.HmacSecret, body));
        Assert.Equal(HttpStatusCode.Accepted, (await app.Http.SendAsync(signed)).StatusCode);
    }
}
