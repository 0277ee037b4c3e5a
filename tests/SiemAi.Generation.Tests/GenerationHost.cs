using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SiemAi.Generation.Tests;

/// <summary>A host with only the generation module, configured from the given settings (no environment variables).</summary>
internal static class GenerationHost
{
    public static IHost Build(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? extra = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Test",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddLogging();
        builder.AddGeneration();
        extra?.Invoke(builder.Services);
        return builder.Build();
    }
}
