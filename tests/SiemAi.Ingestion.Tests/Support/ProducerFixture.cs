using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>
/// A running app with the keys producers of part 2 need: the primary (liberal) key, a strict key, a key with
/// the "acme" field mapping, a second ordinary key, and the signed key of the default settings.
/// </summary>
public sealed class ProducerFixture : IAsyncLifetime
{
    public const string StrictKey = "strict-key-0123456789";
    public const string MappedKey = "mapped-key-0123456789";
    public const string OtherKey = "other-key-0123456789";

    public ScratchDatabase Database { get; private set; } = null!;

    public TestApp App { get; private set; } = null!;

    public static void Configure(Dictionary<string, string?> s)
    {
        s["Ingestion:ApiKeys:strict:Hash"] = Keys.Hash(StrictKey);
        s["Ingestion:ApiKeys:strict:Strict"] = "true";
        s["Ingestion:ApiKeys:acme-xdr:Hash"] = Keys.Hash(MappedKey);
        s["Ingestion:ApiKeys:acme-xdr:FieldMapping"] = "acme";
        s["Ingestion:ApiKeys:other:Hash"] = Keys.Hash(OtherKey);
        // Where Acme XDR puts what we need; "host" is a spelling of asset and works as a mapping target too.
        s["Ingestion:FieldMappings:acme:ruleId"] = "/alarm/sig/code";
        s["Ingestion:FieldMappings:acme:title"] = "/alarm/sig/label";
        s["Ingestion:FieldMappings:acme:host"] = "/endpoint/fqdn";
        s["Ingestion:FieldMappings:acme:sourceIp"] = "/net/peer";
    }

    public async Task InitializeAsync()
    {
        Database = await IngestionDatabase.CreateAsync("prod");
        App = await TestApp.StartAsync(Database, Configure);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
