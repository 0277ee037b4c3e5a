using SiemAi.Testing;
using SiemAi.EventStore;

namespace SiemAi.EventStore.Tests;

public sealed class When_writers_append_concurrently(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task Only_one_of_twenty_writers_at_the_same_expected_version_succeeds()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event()]);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                await db.Store.AppendAsync(stream, ExpectedVersion.Exact(1), [EventStoreDatabase.Event("playbook_generated")]);
                return "ok";
            }
            catch (WrongExpectedVersionException conflict)
            {
                Assert.Equal(2, conflict.ActualVersion);
                return "conflict";
            }
        }));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.Equal(19, outcomes.Count(o => o == "conflict"));
        var versions = await db.Store.ReadStreamAsync(stream).Select(e => e.Version).ToListAsync();
        Assert.Equal([1L, 2L], versions);
    }

    [Fact]
    public async Task Twenty_writers_with_any_version_all_land_in_order_without_gaps()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        var sent = Enumerable.Range(0, 20).Select(_ => EventStoreDatabase.Event()).ToList();

        await Task.WhenAll(sent.Select(e => db.Store.AppendAsync(stream, ExpectedVersion.Any, [e])));

        var stored = await db.Store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), stored.Select(e => e.Version));
        Assert.Equal(sent.Select(e => e.EventId).Order(), stored.Select(e => e.EventId).Order());
        Assert.Equal(20, await db.Store.GetStreamVersionAsync(stream));
        Assert.True((await new EventStoreVerifier(db.App).VerifyAsync(stream)).Intact);
    }

    [Fact]
    public async Task Appending_to_a_stream_that_exists_with_no_stream_expected_is_a_conflict()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event()]);

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event()]));

        Assert.Equal(1, conflict.ActualVersion);
        Assert.Equal(stream, conflict.StreamId);
    }
}
