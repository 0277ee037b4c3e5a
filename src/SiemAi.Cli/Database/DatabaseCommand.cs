using System.CommandLine;
using Npgsql;
using SiemAi.EventStore;
using SiemAi.Hosting;

namespace SiemAi.Cli.Database;

/// <summary><c>siemai db migrate</c>: applies every pending schema migration with the owner role (DB_OWNER, DB_OWNER_PASSWORD).</summary>
public static class DatabaseCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply pending schema migrations (needs DB_OWNER and DB_OWNER_PASSWORD).");
        migrate.SetAction(async (parseResult, ct) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            DatabaseSettings settings;
            try
            {
                settings = CliDatabase.Settings();
            }
            catch (InvalidOperationException ex)
            {
                await error.WriteLineAsync($"siemai db migrate: {ex.Message}");
                return CliExit.Usage;
            }

            if (settings.OwnerConnectionString is null)
            {
                await error.WriteLineAsync("siemai db migrate: DB_OWNER and DB_OWNER_PASSWORD are needed (the migration role).");
                return CliExit.Usage;
            }

            await using var owner = NpgsqlDataSource.Create(settings.OwnerConnectionString);
            var applied = await new SchemaMigrator(owner, settings.AppRole).MigrateAsync(AllMigrations.List, ct);
            await output.WriteLineAsync($"{applied} migration(s) applied; {AllMigrations.List.Count} known.");
            return CliExit.Ok;
        });

        var db = new Command("db", "Database administration.");
        db.Subcommands.Add(migrate);
        return db;
    }
}
