using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using SiemAi.Generation.Llm;
using SiemAi.Generation.Templates;

namespace SiemAi.Generation;

/// <summary>Registers the playbook generator (template library, remote LLM) and its consumer.</summary>
public static class GenerationModule
{
    public static IHostApplicationBuilder AddGeneration(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GenerationOptions>()
            .BindConfiguration(GenerationOptions.SectionName)
            .PostConfigure<IConfiguration>(ApplyEnvironmentNames)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GenerationOptions>>().Value;
            var contentRoot = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
            return TemplateLibrary.Load(TemplateLibrary.ResolveDirectory(options.TemplatesPath, contentRoot));
        });
        services.TryAddSingleton<TemplateSelector>();
        services.TryAddSingleton<TemplatePlaybookGenerator>();
        services.TryAddSingleton<LlmCallBudget>();
        services.TryAddSingleton<LlmPlaybookGenerator>();
        services.TryAddSingleton<IPlaybookGenerator>(sp =>
            sp.GetRequiredService<IOptions<GenerationOptions>>().Value.ModelMode == ModelMode.Remote
                ? sp.GetRequiredService<LlmPlaybookGenerator>()
                : sp.GetRequiredService<TemplatePlaybookGenerator>());
        services.AddHostedService<TemplateLibraryWarmup>();

        services.AddHttpClient(LlmPlaybookGenerator.HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<GenerationOptions>>().Value;

                // The resilience pipeline owns timing; this only stops a body that trickles in forever.
                client.Timeout = options.LlmTotalTimeout + TimeSpan.FromSeconds(5);
                client.MaxResponseContentBufferSize = 1024 * 1024;
            })
            .AddResilienceHandler("llm", static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<GenerationOptions>>().Value;
                pipeline
                    .AddTimeout(options.LlmTotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(options.LlmMaxRetries, 0),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.LlmRetryBaseDelay,
                        ShouldRetryAfterHeader = true,
                    })
                    .AddTimeout(options.LlmAttemptTimeout);
            });

        // Redact the whole request/response logging of HttpClient: the Authorization header carries the key.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter($"System.Net.Http.HttpClient.{LlmPlaybookGenerator.HttpClientName}", LogLevel.Warning));
        return builder;
    }

    public static void AddGenerationConsumers(this IBusRegistrationConfigurator bus)
    {
        // A publish past its bound (a confirm left pending by a broker that went away) is tried once more on a
        // fresh channel before the command counts as failed.
        bus.AddConsumer<GeneratePlaybookConsumer>((_, consumer) =>
            consumer.UseMessageRetry(r =>
            {
                r.Handle<TimeoutException>();
                r.Intervals(TimeSpan.FromSeconds(2));
            }));
    }

    private static void ApplyEnvironmentNames(GenerationOptions options, IConfiguration configuration)
    {
        if (configuration["MODEL_MODE"] is { Length: > 0 } mode)
        {
            options.ModelMode = mode.Trim().ToLowerInvariant() switch
            {
                "local" => ModelMode.Local,
                "remote" => ModelMode.Remote,
                _ => throw new OptionsValidationException(nameof(GenerationOptions), typeof(GenerationOptions), ["MODEL_MODE must be 'local' or 'remote'."]),
            };
        }

        if (configuration["LLM_ENDPOINT"] is { Length: > 0 } endpoint)
        {
            options.LlmEndpoint = Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri)
                ? uri
                : throw new OptionsValidationException(nameof(GenerationOptions), typeof(GenerationOptions), ["LLM_ENDPOINT must be an absolute http(s) URL."]);
        }

        if (configuration["LLM_API_KEY"] is { Length: > 0 } key)
        {
            options.LlmApiKey = key;
        }

        if (configuration["LLM_MODEL"] is { Length: > 0 } model)
        {
            options.LlmModel = model;
        }
    }
}
