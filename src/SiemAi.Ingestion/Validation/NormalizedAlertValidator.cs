using System.Text.RegularExpressions;
using FluentValidation;
using SiemAi.Contracts;
using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Validation;

/// <summary>
/// What every alert must satisfy whatever its path. Host and user names end up in Ansible inventories and
/// playbook variables, so they are held to characters that cannot break YAML or a shell.
/// </summary>
public sealed partial class NormalizedAlertValidator : AbstractValidator<NormalizedAlert>
{
    [GeneratedRegex(@"^[A-Za-z0-9_]([A-Za-z0-9_.\-]{0,251}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupName();

    [GeneratedRegex(@"^[\w.@\\\- ]{1,255}\$?$", RegexOptions.CultureInvariant)]
    private static partial Regex UserName();

    [GeneratedRegex(@"^[\w.\-:@/ ]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceName();

    [GeneratedRegex(@"^T\d{4}(\.\d{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Technique();

    [GeneratedRegex(@"^([A-Za-z0-9]{1,16}[:=])?[A-Fa-f0-9]{32,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hash();

    public NormalizedAlertValidator()
    {
        RuleFor(a => a.AlertId).NotEqual(Guid.Empty).OverridePropertyName("alertId");
        RuleFor(a => a.SourceSystem).NotEmpty().Matches(SourceName()).OverridePropertyName("sourceSystem")
            .WithMessage("sourceSystem must be 1-128 letters, digits or . - _ : @ / space.");
        RuleFor(a => a.Format).Must(f => AlertFormats.All.Contains(f)).OverridePropertyName("format");
        RuleFor(a => a.Title).NotEmpty().MaximumLength(1024).OverridePropertyName("title");
        RuleFor(a => a.Description).MaximumLength(TextLimits.Description).OverridePropertyName("description");
        RuleFor(a => a.RuleId).MaximumLength(256).OverridePropertyName("ruleId");
        RuleFor(a => a.RuleName).MaximumLength(512).OverridePropertyName("ruleName");
        RuleFor(a => a.Severity).IsInEnum().OverridePropertyName("severity");
        RuleFor(a => a.Asset).Must(h => h is null || (h.Length <= 253 && (HostName().IsMatch(h) || AddressText.IsIp(h))))
            .OverridePropertyName("asset").WithMessage("asset (host) must be a host name or an IP address.");
        RuleFor(a => a.AssetGroups).Must(g => g.Count <= 50).OverridePropertyName("assetGroups").WithMessage("At most 50 asset groups.");
        RuleForEach(a => a.AssetGroups).Matches(GroupName()).OverridePropertyName("assetGroups")
            .WithMessage("Asset groups are 1-128 letters, digits, '.', '-' or '_'.");
        RuleFor(a => a.User).Must(u => u is null || UserName().IsMatch(u)).OverridePropertyName("user")
            .WithMessage("user must be 1-256 letters, digits or . _ @ \\ - space (optionally ending in $).");
        RuleFor(a => a.SourceIp).Must(ip => ip is null || AddressText.IsIp(ip)).OverridePropertyName("sourceIp")
            .WithMessage("sourceIp must be an IPv4 or IPv6 address.");
        RuleFor(a => a.DestinationIp).Must(ip => ip is null || AddressText.IsIp(ip)).OverridePropertyName("destinationIp")
            .WithMessage("destinationIp must be an IPv4 or IPv6 address.");
        RuleFor(a => a.DestinationPort).InclusiveBetween(0, 65535).When(a => a.DestinationPort is not null).OverridePropertyName("destinationPort");
        RuleFor(a => a.Process).MaximumLength(1024).OverridePropertyName("process");
        RuleFor(a => a.FilePath).MaximumLength(4096).OverridePropertyName("filePath");
        RuleFor(a => a.FileHash).Must(h => h is null || Hash().IsMatch(h)).OverridePropertyName("fileHash")
            .WithMessage("fileHash must be 32-128 hex digits, optionally prefixed by an algorithm name.");
        RuleFor(a => a.Category).MaximumLength(256).OverridePropertyName("category");
        RuleFor(a => a.MitreTechniques).Must(t => t.Count <= 50).OverridePropertyName("mitreTechniques").WithMessage("At most 50 techniques.");
        RuleForEach(a => a.MitreTechniques).Matches(Technique()).OverridePropertyName("mitreTechniques")
            .WithMessage("MITRE technique ids look like T1110 or T1059.001.");
        RuleFor(a => a.Fields).Must(f => f.Count <= 300).OverridePropertyName("fields").WithMessage("At most 300 fields.");
        RuleForEach(a => a.Fields).Must(f => f.Key.Length is > 0 and <= 128 && f.Value.Length <= 4096).OverridePropertyName("fields")
            .WithMessage((_, f) => $"Field '{TextLimits.Cap(f.Key, 64)}': names are 1-128 characters and values at most 4096.");
        RuleFor(a => a.RawPayload).NotEmpty().MaximumLength(64 * 1024 * 1024).OverridePropertyName("rawPayload");
    }
}
