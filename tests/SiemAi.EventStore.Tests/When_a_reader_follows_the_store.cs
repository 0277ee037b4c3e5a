using SiemAi.EventStore;
using SiemAi.Testing;

namespace SiemAi.EventStore.Tests;

public sealed class When_a_reader_follows_the_store(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task An_event_that_commits_after_a_later_sequence_is_still_handed_out_once()
    {
        var head = await db.Store.ReadAllAsync().Select(e => e.Sequence).LastOrDefaultAsync();
        var tail = new EventStoreTail(db.Store, head, TimeSpan.FromMinutes(5));
        var slow = EventStoreDatabase.Event();
        var fast = EventStoreDatabase.Event();

        // The slow writer takes its sequence number first and keeps its transaction open...
        await using var connection = await db.Store.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await PostgresEventStore.AppendAsync(connection, $"incident-{Guid.NewGuid()}", ExpectedVersion.NoStream, [slow]);
        // ...while a fast writer, with a higher sequence number, commits.
        await db.Store.AppendAsync($"incident-{Guid.NewGuid()}", ExpectedVersion.NoStream, [fast]);

        var first = await tail.ReadNewAsync().ToListAsync();
        await transaction.CommitAsync();
        var second = await tail.ReadNewAsync().ToListAsync();
        var third = await tail.ReadNewAsync().ToListAsync();

        Assert.Equal([fast.EventId], first.Select(e => e.EventId));
        Assert.Equal([slow.EventId], second.Select(e => e.EventId));
        Assert.Empty(third);
        Assert.True(second[0].Sequence < first[0].Sequence, "the slow writer's event should carry the lower sequence number");
    }

    [Fact]
    public async Task A_sequence_number_that_is_never_committed_is_passed_after_the_gap_timeout()
    {
        var head = await db.Store.ReadAllAsync().Select(e => e.Sequence).LastOrDefaultAsync();
        var tail = new EventStoreTail(db.Store, head, TimeSpan.FromMilliseconds(200));
        await using (var connection = await db.Store.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PostgresEventStore.AppendAsync(connection, $"incident-{Guid.NewGuid()}", ExpectedVersion.NoStream, [EventStoreDatabase.Event()]);
            await transaction.RollbackAsync();
        }

        var after = EventStoreDatabase.Event();
        await db.Store.AppendAsync($"incident-{Guid.NewGuid()}", ExpectedVersion.NoStream, [after]);

        Assert.Equal([after.EventId], (await tail.ReadNewAsync().ToListAsync()).Select(e => e.EventId));
        Assert.Equal(head, tail.SafePoint);
        await Task.Delay(400);
        Assert.Empty(await tail.ReadNewAsync().ToListAsync());
        Assert.Empty(await tail.ReadNewAsync().ToListAsync());
        var last = await db.Store.ReadAllAsync(head).Select(e => e.Sequence).LastAsync();
        Assert.Equal(last, tail.SafePoint);
    }
}
