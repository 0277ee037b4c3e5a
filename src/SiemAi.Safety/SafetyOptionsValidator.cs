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
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
