using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SiemAi.Generation.Templates;

namespace SiemAi.Generation;

/// <summary>Loads the template library at start, so a broken template stops the host instead of the first incident.</summary>
internal sealed class TemplateLibraryWarmup(IServiceProvider services, ILogger<TemplateLibraryWarmup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var library = services.GetRequiredService<TemplateLibrary>();
        logger.LogInformation("Template library {Directory}: {Count} remediation templates loaded", library.Directory, library.Templates.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
