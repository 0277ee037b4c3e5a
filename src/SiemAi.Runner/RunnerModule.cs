using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using SiemAi.EventStore;
using SiemAi.Http;
using SiemAi.Sandbox;

namespace SiemAi.Runner;

/// <summary>Wires the Ansible runner into a host; the host provides the application role's <see cref="NpgsqlDataSource"/>.</summary>
public static class RunnerModule
{
    /// <summary>Environment variables that override the <c>Runner</c> section (operators set these in unit files and pods).</summary>
    private static readonly (string Variable, Action<RunnerOptions, string> Apply)[] Overrides =
    [
        ("RUNNER_ALLOW_APPLY", (o, v) => o.AllowApply = Settings.Boolean("RUNNER_ALLOW_APPLY", v)),
        ("RUNNER_LAB", (o, v) => o.Lab = Settings.Boolean("RUNNER_LAB", v)),
        ("RUNNER_INVENTORY", (o, v) => o.InventoryPath = v),
        ("RUNNER_TIMEOUT_SECONDS", (o, v) => o.TimeoutSeconds = Settings.Number("RUNNER_TIMEOUT_SECONDS", v)),
        ("RUNNER_MAX_CONCURRENT_RUNS", (o, v) => o.MaxConcurrentRuns = Settings.Integer("RUNNER_MAX_CONCURRENT_RUNS", v)),
        ("RUNNER_ANSIBLE_PLAYBOOK", (o, v) => o.AnsiblePlaybook = v),
        ("RUNNER_OUTPUT_PATH", (o, v) => o.OutputArchivePath = v),
        ("RUNNER_LIBRARY_PATH", (o, v) => o.LibraryPath = v),
        ("RUNNER_WORK_ROOT", (o, v) => o.WorkRoot = v),
        ("RUNNER_SANDBOX_SHARE_NETWORK", (o, v) => o.SandboxShareNetwork = Settings.Boolean("RUNNER_SANDBOX_SHARE_NETWORK", v)),
    ];

    public static IHostApplicationBuilder AddRunner(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddOptions<RunnerOptions>()
            .BindConfiguration(RunnerOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                foreach (var (variable, apply) in Overrides)
                {
                    if (configuration[variable] is { Length: > 0 } value)
                    {
                        apply(options, value);
                    }
                }
            })
            .PostConfigure(options =>
            {
                options.InventoryPath = Resolve(contentRoot, options.InventoryPath);
                options.OutputArchivePath = Resolve(contentRoot, options.OutputArchivePath);
                options.LibraryPath = Resolve(contentRoot, options.LibraryPath);
                if (!string.IsNullOrEmpty(options.WorkRoot))
                {
                    options.WorkRoot = Resolve(contentRoot, options.WorkRoot);
                }

                options.SandboxReadOnlyPaths = [.. options.SandboxReadOnlyPaths.Distinct(StringComparer.Ordinal)];
                options.SandboxWritablePaths = [.. options.SandboxWritablePaths.Distinct(StringComparer.Ordinal)];
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunnerOptions>, RunnerOptionsValidator>());
        builder.Services.TryAddSingleton(sp => new RunApprovalCheck(
            sp.GetService<PostgresEventStore>() ?? new PostgresEventStore(sp.GetRequiredService<NpgsqlDataSource>())));
        // ansible-playbook runs only in the sandbox, which must work at start (docs/sandbox.md).
        builder.AddSandbox();
        builder.Services.TryAddSingleton(sp => new AnsibleRunner(
            sp.GetRequiredService<IOptions<RunnerOptions>>(), sp.GetRequiredService<RunApprovalCheck>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AnsibleRunner>>(), sp.GetRequiredService<BubblewrapSandbox>()));
        builder.Services.TryAddSingleton(sp => new RunLedger(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static void AddRunnerConsumers(this IBusRegistrationConfigurator bus) => bus.AddConsumer<RunPlaybookConsumer>();

    private static string Resolve(string root, string path) =>
        string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(root, path));
}
