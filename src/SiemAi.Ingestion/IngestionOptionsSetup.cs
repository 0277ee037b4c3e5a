using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SiemAi.Ingestion;

/// <summary>Applies the seed's flat variables on top of the <c>Ingestion</c> section (they win when set) and the host-wide defaults.</summary>
internal sealed class IngestionOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<IngestionOptions>
{
    public const string DefaultKeyName = "default";

    public void PostConfigure(string? name, IngestionOptions options)
    {
        if (configuration["API_KEY"] is { Length: > 0 } plain)
        {
            // Only the hash is kept in memory: the plain key is never stored or logged by us.
            options.ApiKeys[DefaultKeyName] = new ApiKeyOptions
            {
                Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain))),
                HmacSecret = configuration["API_KEY_HMAC_SECRET"] is { Length: > 0 } secret ? secret : null,
            };
        }

        if (configuration["RATE_LIMIT"] is { Length: > 0 } rate)
        {
            options.RateLimit = rate;
        }

        if (int.TryParse(configuration["SYSLOG_UDP_PORT"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var udp))
        {
            options.Syslog.UdpPort = udp;
        }

        if (int.TryParse(configuration["SYSLOG_TCP_PORT"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tcp))
        {
            options.Syslog.TcpPort = tcp;
        }

        if (int.TryParse(configuration["SYSLOG_TLS_PORT"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tls))
        {
            options.Syslog.TlsPort = tls;
        }

        // Syslog listens where the host listens unless told otherwise: one BIND_ADDRESS for every listener.
        if (string.IsNullOrWhiteSpace(options.Syslog.BindAddress))
        {
            options.Syslog.BindAddress = configuration["BIND_ADDRESS"] is { Length: > 0 } bind ? bind.Trim() : "127.0.0.1";
        }

        if (string.IsNullOrWhiteSpace(options.Syslog.Tls.CertificatePath) && string.IsNullOrWhiteSpace(options.Syslog.Tls.KeyPath))
        {
            options.Syslog.Tls.CertificatePath = configuration["TLS_CERT_PATH"] ?? "";
            options.Syslog.Tls.KeyPath = configuration["TLS_KEY_PATH"] ?? "";
        }

        options.ConnectionString ??= configuration.GetConnectionString("SiemAi");
    }
}
