using Microsoft.Extensions.Options;

namespace SiemAi.Sandbox;

/// <summary>
/// Refuses to start when the sandbox is required (<see cref="SandboxOptions.Enabled"/>) but bwrap is missing or
/// cannot create namespaces here: every message names the setting to change.
/// </summary>
public sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.ProbeTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{SandboxOptions.SectionName}:{nameof(SandboxOptions.ProbeTimeout)} must be positive.");
        }
        if (options.SystemPaths.Any(p => !Path.IsPathRooted(p)) || options.HiddenPaths.Any(p => !Path.IsPathRooted(p)))
        {
            errors.Add($"{SandboxOptions.SectionName}:{nameof(SandboxOptions.SystemPaths)} and {nameof(SandboxOptions.HiddenPaths)} take absolute paths only.");
        }
        if (options.Enabled && errors.Count == 0)
        {
            if (string.IsNullOrWhiteSpace(options.BwrapPath))
            {
                errors.Add($"{SandboxOptions.SectionName}:{nameof(SandboxOptions.BwrapPath)} is required while {SandboxOptions.SectionName}:{nameof(SandboxOptions.Enabled)} is true.");
            }
            else if (new BubblewrapSandbox(options).Probe() is { } problem)
            {
                errors.Add($"{SandboxOptions.SectionName}:{nameof(SandboxOptions.BwrapPath)}: {problem} " +
                    $"The sandbox is required while {SandboxOptions.SectionName}:{nameof(SandboxOptions.Enabled)} is true (see docs/sandbox.md).");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
