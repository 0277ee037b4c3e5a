using System.Collections.Concurrent;
using MassTransit;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>Every <see cref="AlertReceived"/> that reached the test's own queue on the real broker, by alert id.</summary>
public sealed class AlertCollector
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<AlertReceived>> byAlert = new();

    public void Add(AlertReceived message) => Slot(message.Alert.AlertId).TrySetResult(message);

    public async Task<AlertReceived> WaitForAsync(Guid alertId, TimeSpan? timeout = null)
    {
        var task = Slot(alertId).Task;
        var finished = await Task.WhenAny(task, Task.Delay(timeout ?? TimeSpan.FromSeconds(30)));
        return finished == task ? await task : throw new TimeoutException($"No AlertReceived for alert {alertId} arrived on the test queue.");
    }

    /// <summary>The first message whose alert satisfies <paramref name="match"/> (syslog alerts get their ids from us).</summary>
    public async Task<AlertReceived> WaitForAsync(Func<AlertReceived, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var found = byAlert.Values.Where(s => s.Task.IsCompletedSuccessfully).Select(s => s.Task.Result).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No matching AlertReceived arrived on the test queue.");
    }

    public bool Seen(Func<AlertReceived, bool> match) =>
        byAlert.Values.Where(s => s.Task.IsCompletedSuccessfully).Select(s => s.Task.Result).Any(match);

    private TaskCompletionSource<AlertReceived> Slot(Guid id) =>
        byAlert.GetOrAdd(id, _ => new TaskCompletionSource<AlertReceived>(TaskCreationOptions.RunContinuationsAsynchronously));
}
