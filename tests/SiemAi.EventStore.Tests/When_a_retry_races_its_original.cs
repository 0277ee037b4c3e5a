using SiemAi.Testing;
using SiemAi.EventStore;

namespace SiemAi.EventStore.Tests;

/// <summary>
/// A retry sent while the original append is still uncommitted reads the stream before the original's
/// write is visible: it must wait for the stream lock and then answer from what the original wrote.
/// </summary>
public sealed class When_a_retry_races_its_original(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_retry_waits_and_answers_duplicate_without_writing_twice(bool streamExists)
    {
        var stream = $"incident-{Guid.NewGuid()}";
        if (streamExists)
        {
            await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event()]);
        }

        var start = streamExists ? 1 : 0;
        var events = new[] { EventStoreDatabase.Event(), EventStoreDatabase.Event("playbook_generated") };

        await using var original = await db.App.OpenConnectionAsync();
        await using var transaction = await original.BeginTransactionAsync();
        var first = await PostgresEventStore.AppendAsync(original, stream, ExpectedVersion.Any, events);

        var retry = db.Store.AppendAsync(stream, ExpectedVersion.Any, events);
        await Task.Delay(300);
        Assert.False(retry.IsCompleted, "the retry should wait for the original's stream lock");
        await transaction.CommitAsync();

        Assert.Equal(new AppendResult(start + 2, false), first);
        Assert.Equal(new AppendResult(start + 2, true), await retry);
        Assert.Equal(start + 2, await db.Store.ReadStreamAsync(stream).CountAsync());
        Assert.True((await new EventStoreVerifier(db.App).VerifyAsync(stream)).Intact);
    }

    [Fact]
    public async Task A_writer_at_the_version_the_original_took_gets_a_conflict_with_the_new_version()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event()]);

        await using var original = await db.App.OpenConnectionAsync();
        await using var transaction = await original.BeginTransactionAsync();
        await PostgresEventStore.AppendAsync(original, stream, ExpectedVersion.Exact(1), [EventStoreDatabase.Event()]);

        var rival = db.Store.AppendAsync(stream, ExpectedVersion.Exact(1), [EventStoreDatabase.Event()]);
        await Task.Delay(300);
        await transaction.CommitAsync();

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => rival);
        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(2, await db.Store.GetStreamVersionAsync(stream));
    }
}
