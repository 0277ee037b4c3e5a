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
    [InlineData("Ingestion:FieldMappings:acme:ruleId", "detection/rule/id", "Ingestion:FieldMappings:acme:ruleId")]
    [InlineData("Ingestion:FieldMappings:acme:colour", "/detection/colour", "Ingestion:FieldMappings:acme:colour")]
    [InlineData("Ingestion:FieldMappings:acme:title", "/a/~2b", "Ingestion:FieldMappings:acme:title")]
    [InlineData("Ingestion:ApiKeys:primary:FieldMapping", "no-such-profile", "Ingestion:ApiKeys:primary:FieldMapping")]
    [InlineData("SYSLOG_TLS_PORT", "0", "SYSLOG_TLS_PORT")]
    [InlineData("Ingestion:Syslog:Tls:ClientCertificates:fw-edge", "AB:CD", "Ingestion:Syslog:Tls:ClientCertificates:fw-edge")]
    [InlineData("BIND_ADDRESS", "not-an-address", "BIND_ADDRESS")]
    public async Task Refuses_to_start_naming_the_setting(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(database, s =>
        {
            // The host's BIND_ADDRESS only counts when the syslog section names no address of its own.
            s.Remove("Ingestion:Syslog:BindAddress");
            s["BIND_ADDRESS"] = "127.0.0.1";
            s[key] = value;
        }));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_start_with_a_tls_certificate_that_does_not_load_naming_it()
    {
        var folder = Directory.CreateTempSubdirectory("siemai-badpem-");
        try
        {
            var cert = Path.Combine(folder.FullName, "c.pem");
            var key = Path.Combine(folder.FullName, "k.pem");
            await File.WriteAllTextAsync(cert, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
            await File.WriteAllTextAsync(key, "not a key");
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(database, s =>
            {
                s["Ingestion:Syslog:TlsPort"] = "0";
                s["Ingestion:Syslog:Tls:CertificatePath"] = cert;
                s["Ingestion:Syslog:Tls:KeyPath"] = key;
            }));
            Assert.Contains("Ingestion:Syslog:Tls:CertificatePath", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
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
