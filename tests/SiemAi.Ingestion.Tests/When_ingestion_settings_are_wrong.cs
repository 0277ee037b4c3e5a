using Microsoft.Extensions.Options;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

public sealed class When_ingestion_settings_are_wrong : IAsyncLifetime
{
    private ScratchDatabase database = null!;

    public async Task InitializeAsync() => database = await IngestionDatabase.CreateAsync("opts");

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Theory]
    [InlineData("RATE_LIMIT", "lots please", "RATE_LIMIT")]
    [InlineData("Ingestion:ApiKeys:primary:Hash", "plain-text-key", "Ingestion:ApiKeys:primary:Hash")]
    [InlineData("Ingestion:FingerprintFields:splunk:0", "colour", "Ingestion:FingerprintFields:splunk")]
    [InlineData("SYSLOG_TCP_PORT", "70000", "SYSLOG_TCP_PORT")]
    public async Task Refuses_to_start_naming_the_setting(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(database, s => s[key] = value));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_start_without_any_api_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(database, s =>
        {
            s.Remove("Ingestion:ApiKeys:primary:Hash");
            s.Remove("Ingestion:ApiKeys:signed:Hash");
            s.Remove("Ingestion:ApiKeys:signed:HmacSecret");
        }));
        Assert.Contains("API_KEY", error.Message, StringComparison.Ordinal);
    }
}
