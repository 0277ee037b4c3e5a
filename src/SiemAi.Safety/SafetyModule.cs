using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SiemAi.Sandbox;

namespace SiemAi.Safety;

/// <summary>Registers the safety gate with the host; the host wires the consumer onto the bus.</summary>
public static class SafetyModule
{
    public static IHostApplicationBuilder AddSafety(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SafetyOptions>().BindConfiguration(SafetyOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SafetyOptions>, SafetyOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        // The syntax check runs ansible-playbook on untrusted text: only in the sandbox, which must work at start.
        builder.AddSandbox();
        builder.Services.TryAddSingleton(sp => new PlaybookSafetyGate(
            sp.GetRequiredService<IOptions<SafetyOptions>>().Value, sp.GetRequiredService<BubblewrapSandbox>()));
        return builder;
    }

    public static void AddSafetyConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        // A publish past its bound (a confirm left pending by a broker that went away) is tried once more on a
        // fresh channel before the request counts as failed.
        bus.AddConsumer<VerifyPlaybookConsumer>((_, consumer) =>
            consumer.UseMessageRetry(r =>
            {
                r.Handle<TimeoutException>();
                r.Intervals(TimeSpan.FromSeconds(2));
            }));
    }
}
