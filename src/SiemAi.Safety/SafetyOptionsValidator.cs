using Microsoft.Extensions.Options;

namespace SiemAi.Safety;

/// <summary>Fails the host at start with the setting's name when the Safety section is wrong.</summary>
internal sealed class SafetyOptionsValidator : IValidateOptions<SafetyOptions>
{
    public ValidateOptionsResult Validate(string? name, SafetyOptions options)
    {
        var errors = new List<string>();
        if (options.MaxTasks < 1)
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.MaxTasks)} must be at least 1.");
        }
        if (options.MaxNodes < 100)
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.MaxNodes)} must be at least 100.");
        }
        if (options.SyntaxCheckTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.SyntaxCheckTimeout)} must be positive.");
        }
        if (string.IsNullOrWhiteSpace(options.AnsiblePlaybookPath))
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.AnsiblePlaybookPath)} must name the ansible-playbook program.");
        }
        foreach (var (module, policy) in options.Modules)
        {
            if (policy.MaxLoopItems < 0)
            {
                errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.Modules)}:{module}:{nameof(ModulePolicy.MaxLoopItems)} must not be negative.");
            }
        }
        foreach (var host in options.AllowedEgressHosts.Where(h => string.IsNullOrWhiteSpace(h) || h.Contains("://", StringComparison.Ordinal) || h.Contains('/', StringComparison.Ordinal)))
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.AllowedEgressHosts)} holds '{host}'; give host names, not URLs.");
        }
        foreach (var network in options.ProtectedNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.ProtectedNetworks)} holds '{network}', which is not a CIDR block such as 10.20.0.0/16.");
        }
        if (options.MaxBlockPrefixV4 is < 8 or > 32)
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.MaxBlockPrefixV4)} must be between 8 and 32.");
        }
        if (options.MaxBlockPrefixV6 is < 32 or > 128)
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.MaxBlockPrefixV6)} must be between 32 and 128.");
        }
        foreach (var port in options.ManagementPorts.Where(p => p is < 1 or > 65535))
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.ManagementPorts)} holds {port}, which is not a port.");
        }
        foreach (var pattern in options.AllowedCommands.Where(p => string.IsNullOrWhiteSpace(p) || p.TrimStart().StartsWith('*') || p.TrimStart().StartsWith("{path}", StringComparison.Ordinal)))
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.AllowedCommands)} holds '{pattern}'; a pattern starts with a literal program name.");
        }
        if (options.InventoryPath is { Length: > 0 } inventory && !File.Exists(inventory) && !Directory.Exists(inventory))
        {
            errors.Add($"{SafetyOptions.SectionName}:{nameof(SafetyOptions.InventoryPath)}: inventory '{inventory}' does not exist.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
