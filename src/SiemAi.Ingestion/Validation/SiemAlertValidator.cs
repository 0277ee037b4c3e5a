using FluentValidation;
using SiemAi.Contracts;
using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Validation;

/// <summary>
/// The broker contract's own rules (the producer-facing names); the mapped alert is then held to
/// <see cref="NormalizedAlertValidator"/> like every other path.
/// </summary>
public sealed class SiemAlertValidator : AbstractValidator<SiemAlert>
{
    public SiemAlertValidator()
    {
        RuleFor(a => a.AlertId).NotEqual(Guid.Empty).OverridePropertyName("alertId");
        RuleFor(a => a.Source).NotEmpty().MaximumLength(128).OverridePropertyName("source");
        RuleFor(a => a.Title).NotEmpty().MaximumLength(1024).OverridePropertyName("title");
        RuleFor(a => a.Severity).NotEmpty().Must(s => SeverityMapping.ParseWazuhScale(s) is not null)
            .OverridePropertyName("severity").WithMessage("severity must be info, low, medium, high, critical or a number 0-15.");
        RuleFor(a => a.Timestamp).NotEqual(default(DateTimeOffset)).OverridePropertyName("timestamp");
        RuleFor(a => a.SourceIp).Must(ip => ip is null || AddressText.IsIp(ip)).OverridePropertyName("sourceIp")
            .WithMessage("sourceIp must be an IPv4 or IPv6 address.");
        RuleFor(a => a.DestinationIp).Must(ip => ip is null || AddressText.IsIp(ip)).OverridePropertyName("destinationIp")
            .WithMessage("destinationIp must be an IPv4 or IPv6 address.");
    }
}
