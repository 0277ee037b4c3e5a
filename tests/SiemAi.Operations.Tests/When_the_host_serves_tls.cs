using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SiemAi.Testing;

namespace SiemAi.Operations.Tests;

public sealed class When_the_host_serves_tls(OperationsFixture ops) : IClassFixture<OperationsFixture>
{
    [Fact]
    public async Task Accepts_alerts_over_https_and_refuses_plain_http_on_the_webhook_port()
    {
        var (certPath, keyPath, certificate) = await SelfSignedAsync(ops.Scratch);
        var key = "tls-" + Guid.NewGuid().ToString("N");
        var env = ops.Environment(key);
        env["TLS_CERT_PATH"] = certPath;
        env["TLS_KEY_PATH"] = keyPath;
        env["HEALTH_PORT"] = FreePort.Next().ToString();
        env["ALLOW_HTTP"] = "true"; // only the separate health port stays plain, for the probe
        await using var host = new HostProcess(env);
        await host.StartAsync(TimeSpan.FromSeconds(90));

        using var https = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Trust exactly the certificate this test made, nothing else.
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
            },
        }) { BaseAddress = new Uri($"https://127.0.0.1:{host.WebhookPort}/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "ingest/generic")
        {
            Content = new StringContent("""{"source":"lab","title":"over tls","severity":"low","host":"lab-target"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-Key", key);
        using var accepted = await https.SendAsync(request);
        using var ready = await https.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var plain = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var refused = await Record.ExceptionAsync(() => plain.GetAsync("health/ready"));
        Assert.IsAssignableFrom<HttpRequestException>(refused);
    }

    [Fact]
    public async Task Refuses_to_start_with_a_certificate_but_no_key()
    {
        var (certPath, _, _) = await SelfSignedAsync(ops.Scratch);
        var env = ops.Environment("tls-" + Guid.NewGuid().ToString("N"));
        env["TLS_CERT_PATH"] = certPath;

        var output = await OperationsFixture.RefusedStartAsync(env);

        Assert.Contains("TLS_CERT_PATH and TLS_KEY_PATH go together", output, StringComparison.Ordinal);
    }

    private static async Task<(string Cert, string Key, X509Certificate2 Certificate)> SelfSignedAsync(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=siemai-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var name = Guid.NewGuid().ToString("N");
        var certPath = Path.Combine(directory, $"{name}.crt");
        var keyPath = Path.Combine(directory, $"{name}.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath, certificate);
    }
}
