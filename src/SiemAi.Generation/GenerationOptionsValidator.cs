using Microsoft.Extensions.Options;

namespace SiemAi.Generation;

/// <summary>Fails the host at start on a wrong setting, naming the setting.</summary>
internal sealed class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var errors = new List<string>();
        if (options.ModelMode == ModelMode.Remote)
        {
            if (options.LlmEndpoint is null)
            {
                errors.Add("LLM_ENDPOINT (Generation:LlmEndpoint) is required when MODEL_MODE=remote.");
            }
            else if (!options.LlmEndpoint.IsAbsoluteUri || (options.LlmEndpoint.Scheme != Uri.UriSchemeHttp && options.LlmEndpoint.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add("LLM_ENDPOINT (Generation:LlmEndpoint) must be an absolute http(s) URL.");
            }

            if (string.IsNullOrWhiteSpace(options.LlmModel))
            {
                errors.Add("LLM_MODEL (Generation:LlmModel) must not be empty when MODEL_MODE=remote.");
            }
        }

        if (options.SelectionThreshold is <= 0 or > 1)
        {
            errors.Add("Generation:SelectionThreshold must be in (0, 1].");
        }

        if (options.LlmAttemptTimeout <= TimeSpan.Zero || options.LlmTotalTimeout < options.LlmAttemptTimeout)
        {
            errors.Add("Generation:LlmAttemptTimeout must be positive and Generation:LlmTotalTimeout at least as long.");
        }

        if (options.LlmMaxRetries is < 0 or > 10)
        {
            errors.Add("Generation:LlmMaxRetries must be between 0 and 10.");
        }

        if (options.LlmMaxCallsPerIncident < 0)
        {
            errors.Add("Generation:LlmMaxCallsPerIncident must not be negative.");
        }

        if (options.TemplatesPath is { Length: > 0 } path && !Directory.Exists(path))
        {
            errors.Add($"Generation:TemplatesPath '{path}' does not exist.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
