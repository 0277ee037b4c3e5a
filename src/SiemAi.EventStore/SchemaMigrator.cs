using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace SiemAi.EventStore;

/// <summary>
/// Applies versioned migrations in order, each once, recorded in <c>schema_migrations</c> with a
/// checksum; run by the owner role. Concurrent migrators serialise on an advisory lock.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource ownerDataSource, string appRole)
{
    private const long LockKey = 0x5131_4D41_6900;

    /// <summary>Applies what is missing; returns how many migrations ran (0 when the schema is current).</summary>
    public async Task<int> MigrateAsync(IEnumerable<SchemaMigration> migrations, CancellationToken ct = default)
    {
        if (!RoleName().IsMatch(appRole))
        {
            throw new InvalidOperationException($"'{appRole}' is not a valid role name.");
        }

        await using var connection = await ownerDataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})", ct);
        await Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                module     text NOT NULL,
                version    int NOT NULL,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (module, version))
            """, ct);
        await Execute(connection, $"GRANT USAGE ON SCHEMA public TO {appRole}; GRANT SELECT ON schema_migrations TO {appRole}", ct);

        var applied = new Dictionary<(string, int), string>();
        await using (var read = new NpgsqlCommand("SELECT module, version, checksum FROM schema_migrations", connection))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
            }
        }

        var count = 0;
        foreach (var migration in migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version))
        {
            var sql = migration.Sql.Replace("{app_role}", appRole, StringComparison.Ordinal);
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migration.Sql)));
            if (applied.TryGetValue((migration.Module, migration.Version), out var existing))
            {
                if (existing != checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Module}/{migration.Version} ({migration.Name}) was changed after it was applied; add a new migration instead.");
                }

                continue;
            }

            await Execute(connection, sql, ct);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (module, version, name, checksum) VALUES ($1, $2, $3, $4)", connection);
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Module });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = checksum });
            await record.ExecuteNonQueryAsync(ct);
            count++;
        }

        await transaction.CommitAsync(ct);
        return count;
    }

    /// <summary>The migrations not yet applied (for readiness checks); uses any role that can read the table.</summary>
    public static async Task<IReadOnlyList<SchemaMigration>> PendingAsync(NpgsqlDataSource dataSource, IEnumerable<SchemaMigration> migrations, CancellationToken ct = default)
    {
        var applied = new HashSet<(string, int)>();
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('schema_migrations') IS NOT NULL"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return migrations.ToList();
            }
        }

        await using var command = dataSource.CreateCommand("SELECT module, version FROM schema_migrations");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return migrations.Where(m => !applied.Contains((m.Module, m.Version))).ToList();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();
}
