using Microsoft.Extensions.Options;

namespace SiemAi.Runner;

/// <summary>Rejects a runner setting that cannot work, at start and naming the setting.</summary>
internal sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, RunnerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.InventoryPath))
        {
            errors.Add("Runner:InventoryPath (RUNNER_INVENTORY) is required.");
        }
        else if (!File.Exists(options.InventoryPath) && !Directory.Exists(options.InventoryPath))
        {
            errors.Add($"Runner:InventoryPath (RUNNER_INVENTORY): inventory '{options.InventoryPath}' does not exist.");
        }

        if (!(options.TimeoutSeconds > 0))
        {
            errors.Add("Runner:TimeoutSeconds (RUNNER_TIMEOUT_SECONDS) must be greater than 0.");
        }

        if (options.MaxConcurrentRuns < 1)
        {
            errors.Add("Runner:MaxConcurrentRuns (RUNNER_MAX_CONCURRENT_RUNS) must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(options.AnsiblePlaybook))
        {
            errors.Add("Runner:AnsiblePlaybook (RUNNER_ANSIBLE_PLAYBOOK) is required.");
        }

        if (string.IsNullOrWhiteSpace(options.SearchPath))
        {
            errors.Add("Runner:SearchPath is required.");
        }

        if (string.IsNullOrWhiteSpace(options.OutputArchivePath))
        {
            errors.Add("Runner:OutputArchivePath (RUNNER_OUTPUT_PATH) is required.");
        }

        if (string.IsNullOrWhiteSpace(options.LibraryPath))
        {
            errors.Add("Runner:LibraryPath (RUNNER_LIBRARY_PATH) is required.");
        }

        if (options.WorkRoot is { Length: > 0 } root && !Directory.Exists(root))
        {
            errors.Add($"Runner:WorkRoot (RUNNER_WORK_ROOT): directory '{root}' does not exist.");
        }

        if (options.MaxStdoutBytes < 4096 || options.MaxStderrBytes < 1024)
        {
            errors.Add("Runner:MaxStdoutBytes must be at least 4096 and Runner:MaxStderrBytes at least 1024.");
        }

        if (options.MaxDiffChars < 64 || options.MaxResultJsonChars < 1024)
        {
            errors.Add("Runner:MaxDiffChars must be at least 64 and Runner:MaxResultJsonChars at least 1024.");
        }

        if (options.SandboxReadOnlyPaths.Concat(options.SandboxWritablePaths).Any(p => string.IsNullOrWhiteSpace(p) || !Path.IsPathRooted(p) || p.TrimEnd('/').Length == 0))
        {
            errors.Add("Runner:SandboxReadOnlyPaths and Runner:SandboxWritablePaths take absolute paths other than '/'.");
        }

        if (options.Forks < 1)
        {
            errors.Add("Runner:Forks must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
