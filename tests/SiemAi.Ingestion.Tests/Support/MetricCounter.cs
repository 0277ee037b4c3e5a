using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>Sums one counter's measurements by a tag value, for the meters of one app's IMeterFactory only.</summary>
public sealed class MetricCounter : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> totals = new(StringComparer.Ordinal);

    public MetricCounter(IMeterFactory factory, string instrument, string tag)
    {
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Name == instrument && ReferenceEquals(i.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags)
            {
                if (t.Key == tag)
                {
                    totals.AddOrUpdate(t.Value?.ToString() ?? "", value, (_, n) => n + value);
                }
            }
        });
        listener.Start();
    }

    public long this[string tagValue] => totals.GetValueOrDefault(tagValue);

    public async Task WaitForAsync(string tagValue, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (this[tagValue] < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(this[tagValue] >= atLeast, $"siemai counter {tagValue} reached {this[tagValue]}, expected at least {atLeast}.");
    }

    public void Dispose() => listener.Dispose();
}
