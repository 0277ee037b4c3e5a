using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SiemAi.Sandbox;

/// <summary>Registers the sandbox settings (validated at start: a required sandbox that does not work stops the host) and one <see cref="BubblewrapSandbox"/>.</summary>
public static class SandboxModule
{
    public static IHostApplicationBuilder AddSandbox(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(BubblewrapSandbox)))
        {
            // The safety gate and the runner both ask for it; bind and validate the settings once.
            return builder;
        }
        builder.Services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        builder.Services.TryAddSingleton(sp => new BubblewrapSandbox(sp.GetRequiredService<IOptions<SandboxOptions>>().Value));
        return builder;
    }
}
