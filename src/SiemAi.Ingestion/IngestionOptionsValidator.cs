using FluentValidation;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Security;

namespace SiemAi.Ingestion;

/// <summary>A wrong setting fails the host at start, naming the setting.</summary>
public sealed class IngestionOptionsValidator : AbstractValidator<IngestionOptions>
{
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
        RuleFor(o => o.Syslog.BindAddress).Must(a => System.Net.IPAddress.TryParse(a, out _)).WithName("Ingestion:Syslog:BindAddress");
    }
}
