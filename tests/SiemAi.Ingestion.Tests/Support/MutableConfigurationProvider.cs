using Microsoft.Extensions.Configuration;

namespace SiemAi.Ingestion.Tests.Support;

public sealed class MutableConfigurationProvider : ConfigurationProvider
{
    public MutableConfigurationProvider(IDictionary<string, string?> initial) => Data = new Dictionary<string, string?>(initial, StringComparer.OrdinalIgnoreCase);

    public void Replace(IDictionary<string, string?> values)
    {
        Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }
}
