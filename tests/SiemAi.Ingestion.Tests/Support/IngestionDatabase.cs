using Npgsql;
using SiemAi.Ingestion.Incidents;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests.Support;

/// <summary>A scratch database with ingestion's migrations applied by the owner role, as the host's migrator would.</summary>
public static class IngestionDatabase
{
    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var db = await ScratchDatabase.CreateAsync(prefix);
        await using var connection = new NpgsqlConnection(db.OwnerConnectionString);
        await connection.OpenAsync();
        foreach (var sql in IngestionSchema.SqlFor(ServiceSettings.Require("DB_USER")))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        return db;
    }

    public static async Task<T> ScalarAsync<T>(ScratchDatabase db, string sql)
    {
        await using var connection = new NpgsqlConnection(db.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
