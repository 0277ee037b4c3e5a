using SiemAi.Testing;
using SiemAi.EventStore;

namespace SiemAi.EventStore.Tests;

public sealed class When_an_append_is_retried(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task The_same_event_ids_at_the_same_position_write_nothing_twice()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        var events = new[] { EventStoreDatabase.Event(), EventStoreDatabase.Event("playbook_generated") };

        var first = await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);
        var retry = await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);
        var retryAny = await db.Store.AppendAsync(stream, ExpectedVersion.Any, events);

        Assert.Equal(new AppendResult(2, false), first);
        Assert.Equal(new AppendResult(2, true), retry);
        Assert.Equal(new AppendResult(2, true), retryAny);
        Assert.Equal(2, await db.Store.ReadStreamAsync(stream).CountAsync());
    }

    [Fact]
    public async Task The_same_event_ids_at_another_position_are_refused()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        var e1 = EventStoreDatabase.Event();
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [e1]);
        await db.Store.AppendAsync(stream, ExpectedVersion.Exact(1), [EventStoreDatabase.Event()]);

        await Assert.ThrowsAsync<EventIdConflictException>(() => db.Store.AppendAsync(stream, ExpectedVersion.Exact(2), [e1]));
        await Assert.ThrowsAsync<EventIdConflictException>(() => db.Store.AppendAsync($"other-{Guid.NewGuid()}", ExpectedVersion.Any, [e1]));
        Assert.Equal(2, await db.Store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task A_batch_appends_to_many_streams_in_one_go_and_is_idempotent()
    {
        var appends = Enumerable.Range(0, 50)
            .Select(i => new StreamAppend($"batch-{Guid.NewGuid()}", ExpectedVersion.NoStream, [EventStoreDatabase.Event(), EventStoreDatabase.Event("incident_closed")]))
            .ToList();

        var results = await db.Store.AppendBatchAsync(appends);
        var again = await db.Store.AppendBatchAsync(appends);

        Assert.All(results, r => Assert.Equal(new AppendResult(2, false), r));
        Assert.All(again, r => Assert.Equal(new AppendResult(2, true), r));
        foreach (var append in appends)
        {
            Assert.Equal(append.Events.Select(e => e.EventId), await db.Store.ReadStreamAsync(append.StreamId).Select(e => e.EventId).ToListAsync());
        }
    }
}
