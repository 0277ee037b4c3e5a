using Npgsql;
using SiemAi.EventStore;
using SiemAi.Testing;

namespace SiemAi.EventStore.Tests;

public sealed class When_someone_tries_to_change_history(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Theory]
    [InlineData("UPDATE events SET data = '{\"x\": 1}'")]
    [InlineData("DELETE FROM events")]
    [InlineData("TRUNCATE events CASCADE")]
    [InlineData("UPDATE streams SET version = 0")]
    [InlineData("DELETE FROM streams")]
    public async Task The_database_refuses_the_application_role_and_the_owner(string sql)
    {
        var stream = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event(), EventStoreDatabase.Event()]);

        foreach (var source in new[] { db.App, db.Owner })
        {
            await using var command = source.CreateCommand(sql);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }

        Assert.Equal(2, await db.Store.ReadStreamAsync(stream).CountAsync());
        Assert.Equal(2, await db.Store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task Even_replica_mode_does_not_bypass_the_triggers()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event()]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Superuser.PsqlAsync(db.Database.Name,
            $"SET session_replication_role = replica; DELETE FROM events WHERE stream_id = '{stream}';"));

        Assert.Contains("immutable", error.Message);
        Assert.Equal(1, await db.Store.ReadStreamAsync(stream).CountAsync());
    }

    [Fact]
    public async Task Verify_names_the_tampered_stream_and_version_and_the_digest_changes()
    {
        var untouched = $"incident-{Guid.NewGuid()}";
        var tampered = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(untouched, ExpectedVersion.NoStream, [EventStoreDatabase.Event(), EventStoreDatabase.Event()]);
        await db.Store.AppendAsync(tampered, ExpectedVersion.NoStream,
            [EventStoreDatabase.Event(), EventStoreDatabase.Event("playbook_approved", """{"approver": "alice"}"""), EventStoreDatabase.Event()]);
        var verifier = new EventStoreVerifier(db.App);
        var before = await verifier.DigestAsync();
        Assert.DoesNotContain((await verifier.VerifyAsync()).Faults, f => f.StreamId == tampered || f.StreamId == untouched);

        await Superuser.PsqlAsync(db.Database.Name,
            "ALTER TABLE events DISABLE TRIGGER events_immutable_rows; " +
            $"UPDATE events SET data = '{{\"approver\": \"mallory\"}}' WHERE stream_id = '{tampered}' AND version = 2; " +
            "ALTER TABLE events ENABLE ALWAYS TRIGGER events_immutable_rows;");

        var report = await verifier.VerifyAsync();
        var fault = Assert.Single(report.Faults, f => f.StreamId == tampered);
        Assert.Equal(2, fault.Version);
        Assert.Contains("hash does not match", fault.Reason);
        Assert.DoesNotContain(report.Faults, f => f.StreamId == untouched);
        Assert.False((await verifier.VerifyAsync(tampered)).Intact);
        Assert.True((await verifier.VerifyAsync(untouched)).Intact);

        var after = await verifier.DigestAsync(before.AsOfSequence);
        Assert.Equal(before.AsOfSequence, after.AsOfSequence);
        Assert.NotEqual(before.Digest, after.Digest);
    }

    [Fact]
    public async Task A_deleted_event_is_reported_as_a_gap()
    {
        var stream = $"incident-{Guid.NewGuid()}";
        await db.Store.AppendAsync(stream, ExpectedVersion.NoStream, [EventStoreDatabase.Event(), EventStoreDatabase.Event(), EventStoreDatabase.Event()]);

        await Superuser.PsqlAsync(db.Database.Name,
            "ALTER TABLE events DISABLE TRIGGER events_immutable_rows; " +
            $"DELETE FROM events WHERE stream_id = '{stream}' AND version = 2; " +
            "ALTER TABLE events ENABLE ALWAYS TRIGGER events_immutable_rows;");

        var fault = Assert.Single((await new EventStoreVerifier(db.App).VerifyAsync(stream)).Faults);
        Assert.Equal(2, fault.Version);
        Assert.Contains("missing", fault.Reason);
    }
}
