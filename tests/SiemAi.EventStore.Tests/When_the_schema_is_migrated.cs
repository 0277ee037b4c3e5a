using SiemAi.EventStore;
using SiemAi.Testing;

namespace SiemAi.EventStore.Tests;

public sealed class When_the_schema_is_migrated(EventStoreDatabase db) : IClassFixture<EventStoreDatabase>
{
    [Fact]
    public async Task Running_the_migrations_again_changes_nothing()
    {
        var before = await Superuser.PsqlAsync(db.Database.Name, "SELECT module, version, name, checksum, applied_at FROM schema_migrations ORDER BY 1, 2");
        var schemaBefore = await Superuser.PsqlAsync(db.Database.Name, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace");

        var applied = await new SchemaMigrator(db.Owner, ServiceSettings.Require("DB_USER")).MigrateAsync(EventStoreSchema.Migrations);

        Assert.Equal(0, applied);
        Assert.Equal(before, await Superuser.PsqlAsync(db.Database.Name, "SELECT module, version, name, checksum, applied_at FROM schema_migrations ORDER BY 1, 2"));
        Assert.Equal(schemaBefore, await Superuser.PsqlAsync(db.Database.Name, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
        Assert.Empty(await SchemaMigrator.PendingAsync(db.App, EventStoreSchema.Migrations));
    }

    [Fact]
    public async Task A_migration_edited_after_it_ran_is_refused()
    {
        var edited = EventStoreSchema.Migrations.Select(m => m with { Sql = m.Sql + "\n-- edited" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new SchemaMigrator(db.Owner, ServiceSettings.Require("DB_USER")).MigrateAsync(edited));

        Assert.Contains("was changed after it was applied", error.Message);
    }
}
