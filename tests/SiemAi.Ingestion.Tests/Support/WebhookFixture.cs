using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>One database and one running app shared by a test class.</summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public ScratchDatabase Database { get; private set; } = null!;

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await IngestionDatabase.CreateAsync("ing");
        App = await TestApp.StartAsync(Database, withSiemConsumer: true);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
