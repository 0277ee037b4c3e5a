using System.Net;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

public sealed class When_api_keys_rotate : IAsyncLifetime
{
    private const string Body = """{"source":"ids","title":"Beacon","severity":"low"}""";
    private const string OldKey = "old-key-aaaaaaaaaaaaaaaa";
    private const string NewKey = "new-key-bbbbbbbbbbbbbbbb";
    private const string SeedKey = "seed-api-key-cccccccccc";
    private ScratchDatabase database = null!;
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        database = await IngestionDatabase.CreateAsync("rot");
        app = await TestApp.StartAsync(database, s =>
        {
            s.Remove("Ingestion:ApiKeys:primary:Hash");
            s.Remove("Ingestion:ApiKeys:signed:Hash");
            s.Remove("Ingestion:ApiKeys:signed:HmacSecret");
            s["Ingestion:ApiKeys:2024:Hash"] = Keys.Hash(OldKey);
            s["API_KEY"] = SeedKey;
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Accepts_old_and_new_keys_together_then_only_the_new_one()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/ingest/generic", Body, key: OldKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/ingest/generic", Body, key: SeedKey)).StatusCode);
        await ProblemAssert.IsProblemAsync(await app.PostAsync("/ingest/generic", Body, key: NewKey), HttpStatusCode.Unauthorized, "X-API-Key");

        // Step 1 of a rotation: add the new key next to the old one.
        var settings = TestApp.DefaultSettings(database);
        settings.Remove("Ingestion:ApiKeys:primary:Hash");
        settings.Remove("Ingestion:ApiKeys:signed:Hash");
        settings.Remove("Ingestion:ApiKeys:signed:HmacSecret");
        settings["Ingestion:ApiKeys:2024:Hash"] = Keys.Hash(OldKey);
        settings["Ingestion:ApiKeys:2025:Hash"] = Keys.Hash(NewKey).ToUpperInvariant();
        settings["API_KEY"] = SeedKey;
        app.Config.Replace(settings);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/ingest/generic", Body, key: OldKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/ingest/generic", Body, key: NewKey)).StatusCode);

        // Step 2: retire the old key; no restart.
        settings.Remove("Ingestion:ApiKeys:2024:Hash");
        app.Config.Replace(settings);
        await ProblemAssert.IsProblemAsync(await app.PostAsync("/ingest/generic", Body, key: OldKey), HttpStatusCode.Unauthorized, "X-API-Key");
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/ingest/generic", Body, key: NewKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/ingest/generic", Body, key: SeedKey)).StatusCode);
    }
}
