using SiemAi.Testing;
using SiemAi.EventStore;

namespace SiemAi.EventStore.Tests;

public sealed class When_auditors_read_the_store(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task A_stream_reads_back_in_order_within_a_version_range()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        var events = Enumerable.Range(0, 5).Select(i => EventStoreDatabase.Event(data: $$"""{"n": {{i}}}""")).ToList();
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);

        var middle = await db.Store.ReadStreamAsync(stream, 2, 4).ToListAsync();

        Assert.Equal([2L, 3L, 4L], middle.Select(e => e.Version));
        Assert.Equal(events.Skip(1).Take(3).Select(e => e.EventId), middle.Select(e => e.EventId));
        Assert.Equal("""{"n": 1}""", middle[0].Data);
        Assert.Contains("\"actor\": \"service:test\"", middle[0].Metadata);
    }

    [Fact]
    public async Task Read_all_pages_through_every_event_in_global_order()
    {
        var start = await db.Store.ReadAllAsync().Select(e => e.Sequence).LastOrDefaultAsync();
        var streams = Enumerable.Range(0, 7).Select(_ => $"incident-{Guid.NewGuid()}").ToList();
        foreach (var s in streams)
        {
            await db.Store.AppendAsync(s, ExpectedVersion.NoStream, [EventStoreDatabase.Event(), EventStoreDatabase.Event()]);
        }

        var all = await db.Store.ReadAllAsync(start, batchSize: 3).ToListAsync();

        Assert.Equal(14, all.Count(e => streams.Contains(e.StreamId)));
        Assert.Equal(all.Select(e => e.Sequence).Order(), all.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Events_can_be_found_by_type_and_by_time()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var approved = EventStoreDatabase.Event("playbook_approved_probe");
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event(), approved]);
        var until = DateTimeOffset.UtcNow.AddSeconds(1);

        var byType = await db.Store.ReadByTypeAsync("playbook_approved_probe").ToListAsync();
        var byTime = await db.Store.ReadByTimeAsync(from, until).Where(e => e.StreamId == stream).ToListAsync();
        var byTimeAndType = await db.Store.ReadByTimeAsync(from, until, "playbook_approved_probe").ToListAsync();

        Assert.Equal(approved.EventId, Assert.Single(byType).EventId);
        Assert.Equal(2, byTime.Count);
        Assert.Equal(approved.EventId, Assert.Single(byTimeAndType).EventId);
        Assert.Empty(await db.Store.ReadByTimeAsync(until, until.AddHours(1)).Where(e => e.StreamId == stream).ToListAsync());
    }

    [Fact]
    public async Task Verify_passes_on_untouched_data_whatever_order_the_keys_were_written_in()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream,
        [
            EventStoreDatabase.Event(data: """{ "zeta":1,"alpha" : {"y": [3, 2.50, "é\u00e9"], "x": null}, "mid": true }"""),
            EventStoreDatabase.Event(data: """{"k": 1e3, "big": 123456789012345678901234567890}"""),
        ]);

        var report = await new EventStoreVerifier(db.App).VerifyAsync(stream);

        Assert.True(report.Intact, string.Join("; ", report.Faults));
        Assert.Equal(2, report.EventsChecked);
    }

    [Fact]
    public async Task Invalid_event_types_and_json_are_rejected_without_writing_anything()
    {
        var stream = $"incident-{Guid.NewGuid()}";

        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => db.Store.AppendAsync(stream, ExpectedVersion.Any, [EventStoreDatabase.Event("PlaybookApproved")]));
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => db.Store.AppendAsync(stream, ExpectedVersion.Any, [EventStoreDatabase.Event(data: "{not json")]));

        Assert.Equal(0, await db.Store.GetStreamVersionAsync(stream));
    }
}
