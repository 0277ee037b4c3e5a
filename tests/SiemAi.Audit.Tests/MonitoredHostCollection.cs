namespace SiemAi.Audit.Tests;

/// <summary>One monitored host run shared by the metrics and log checks (starting a host takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class MonitoredHostCollection : ICollectionFixture<MonitoredHost>
{
    public const string Name = "monitored host";
}
