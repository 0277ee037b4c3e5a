using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using FluentValidation;
using SiemAi.Ingestion.Mapping;
using SiemAi.Ingestion.Syslog;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Security;

namespace SiemAi.Ingestion;

/// <summary>A wrong setting fails the host at start, naming the setting.</summary>
public sealed partial class IngestionOptionsValidator : AbstractValidator<IngestionOptions>
{
    [GeneratedRegex(@"^[\w.\-:@/ ]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceName();

    public IngestionOptionsValidator()
    {
        RuleFor(o => o.ApiKeys).NotEmpty()
            .WithName("Ingestion:ApiKeys")
            .WithMessage("Ingestion:ApiKeys (name → SHA-256 hash) or API_KEY must configure at least one API key.");
        RuleForEach(o => o.ApiKeys).Must(k => k.Value is not null && k.Value.Hash.Length == 64 && k.Value.Hash.All(char.IsAsciiHexDigit))
            .WithName("Ingestion:ApiKeys")
            .WithMessage((_, k) => $"Ingestion:ApiKeys:{k.Key}:Hash must be the 64-hex-digit SHA-256 of the key.");
        RuleFor(o => o.RateLimit).Must(r => RateLimitSpec.TryParse(r, out _))
            .WithName("Ingestion:RateLimit")
            .WithMessage("RATE_LIMIT / Ingestion:RateLimit must look like '100 per minute', '10 per second' or 'none'.");
        RuleFor(o => o.MaxBodyBytes).InclusiveBetween(1024, 64L * 1024 * 1024).WithName("Ingestion:MaxBodyBytes");
        RuleFor(o => o.MaxJsonDepth).InclusiveBetween(4, 256).WithName("Ingestion:MaxJsonDepth");
        RuleFor(o => o.MaxJsonProperties).InclusiveBetween(10, 1_000_000).WithName("Ingestion:MaxJsonProperties");
        RuleFor(o => o.MaxAlertsPerRequest).InclusiveBetween(1, 100_000).WithName("Ingestion:MaxAlertsPerRequest");
        RuleFor(o => o.DedupWindow).GreaterThan(TimeSpan.Zero).WithName("Ingestion:DedupWindow");
        RuleFor(o => o.PublishTimeout).GreaterThan(TimeSpan.Zero).WithName("Ingestion:PublishTimeout");
        RuleForEach(o => o.FingerprintFields)
            .Must(f => AlertFormats.All.Contains(f.Key) && f.Value.All(n => AlertFingerprinter.KnownFields.Contains(n) || n.StartsWith("fields.", StringComparison.Ordinal)))
            .WithName("Ingestion:FingerprintFields")
            .WithMessage((_, f) => $"Ingestion:FingerprintFields:{f.Key} must name a known format and known alert fields ({string.Join(", ", AlertFingerprinter.KnownFields)}, fields.<name>).");
        RuleFor(o => o.Syslog.UdpPort).InclusiveBetween(-1, 65535).WithName("SYSLOG_UDP_PORT");
        RuleFor(o => o.Syslog.TcpPort).InclusiveBetween(-1, 65535).WithName("SYSLOG_TCP_PORT");
        RuleFor(o => o.Syslog.MaxMessageBytes).InclusiveBetween(480, 1024 * 1024).WithName("Ingestion:Syslog:MaxMessageBytes");
        RuleFor(o => o.Syslog.Workers).InclusiveBetween(1, 1024).WithName("Ingestion:Syslog:Workers");
        RuleFor(o => o.Syslog.QueueCapacity).InclusiveBetween(1, 10_000_000).WithName("Ingestion:Syslog:QueueCapacity");
        RuleFor(o => o.Syslog.BindAddress).Must(a => System.Net.IPAddress.TryParse(a, out _)).WithName("Ingestion:Syslog:BindAddress")
            .WithMessage(o => $"Ingestion:Syslog:BindAddress (default BIND_ADDRESS) must be an IP address, not '{o.Syslog.BindAddress}'.");
        RuleFor(o => o.Syslog.TlsPort).InclusiveBetween(-1, 65535).WithName("SYSLOG_TLS_PORT");
        RuleFor(o => o).Custom((o, context) =>
        {
            foreach (var error in FieldMappingRules.Errors(o).Concat(TlsErrors(o.Syslog)))
            {
                context.AddFailure(error);
            }
        });
    }

    /// <summary>The TLS listener's settings: only checked when it is on (SYSLOG_TLS_PORT &gt;= 0), except the pins, always.</summary>
    private static IEnumerable<string> TlsErrors(SyslogOptions syslog)
    {
        var tls = syslog.Tls;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, fingerprints) in tls.ClientCertificates)
        {
            var setting = $"Ingestion:Syslog:Tls:ClientCertificates:{source}";
            if (!SourceName().IsMatch(source))
            {
                yield return $"{setting}: the source name becomes who submitted the alerts; use 1-128 letters, digits or . - _ : @ / space.";
            }

            var list = SyslogClientCertificates.Split(fingerprints).ToList();
            if (list.Count == 0)
            {
                yield return $"{setting} must list at least one SHA-256 certificate fingerprint (64 hex digits, colons allowed).";
            }

            foreach (var fingerprint in list)
            {
                if (!SyslogClientCertificates.IsFingerprint(fingerprint))
                {
                    yield return $"{setting}: '{TextLimits.Cap(fingerprint, 80)}' is not a SHA-256 fingerprint (64 hex digits, colons allowed).";
                }
                else if (seen.TryGetValue(fingerprint, out var other) && other != source)
                {
                    yield return $"{setting}: fingerprint {fingerprint} is also pinned to '{other}'; one certificate is one source.";
                }
                else
                {
                    seen[fingerprint] = source;
                }
            }
        }

        if (tls.HandshakeTimeout <= TimeSpan.Zero || tls.HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            yield return "Ingestion:Syslog:Tls:HandshakeTimeout must be more than zero and at most 00:05:00.";
        }

        if (syslog.TlsPort < 0)
        {
            yield break;
        }

        if (tls.RequireClientCertificate && tls.ClientCertificates.Count == 0)
        {
            yield return "Ingestion:Syslog:Tls:RequireClientCertificate is on but no client certificate is pinned (Ingestion:Syslog:Tls:ClientCertificates:<source>).";
        }

        if (string.IsNullOrWhiteSpace(tls.CertificatePath) || string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            yield return "SYSLOG_TLS_PORT is set: Ingestion:Syslog:Tls:CertificatePath and KeyPath (or TLS_CERT_PATH and TLS_KEY_PATH) must name the PEM certificate and key.";
            yield break;
        }

        string? problem = null;
        foreach (var (name, path) in new[] { ("Ingestion:Syslog:Tls:CertificatePath", tls.CertificatePath), ("Ingestion:Syslog:Tls:KeyPath", tls.KeyPath) })
        {
            if (!File.Exists(path))
            {
                problem ??= $"{name} names '{path}', which does not exist.";
            }
        }

        if (problem is null)
        {
            try
            {
                using var certificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                problem = $"Ingestion:Syslog:Tls:CertificatePath/KeyPath could not be loaded as a PEM certificate and its private key: {e.Message}";
            }
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }
}
