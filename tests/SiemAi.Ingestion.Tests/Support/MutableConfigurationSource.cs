using Microsoft.Extensions.Configuration;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>A configuration source whose whole content can be replaced at run time, raising a reload like a changed file.</summary>
public sealed class MutableConfigurationSource(IDictionary<string, string?> initial) : IConfigurationSource
{
    public MutableConfigurationProvider Provider { get; } = new(initial);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}
