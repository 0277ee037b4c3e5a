using Npgsql;

namespace SiemAi.Testing;

/// <summary>
/// A fresh PostgreSQL database on the real server, owned by the migration role, dropped on dispose.
/// Each test class (or collection) gets its own, so tests never see each other's streams.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(DatabaseServer server, string name)
    {
        Server = server;
        Name = name;
        OwnerConnectionString = server.ConnectionString(name, owner: true).ConnectionString;
        AppConnectionString = server.ConnectionString(name, owner: false).ConnectionString;
    }

    /// <summary>The server the database lives on (the shared one unless the test brought its own).</summary>
    public DatabaseServer Server { get; }

    public string Name { get; }

    /// <summary>The owner role: runs migrations; still cannot UPDATE/DELETE events (triggers).</summary>
    public string OwnerConnectionString { get; }

    /// <summary>The application role: INSERT and SELECT on the event tables only.</summary>
    public string AppConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string prefix = "t", DatabaseServer? server = null)
    {
        server ??= DatabaseServer.Shared;
        var name = $"siemai_{prefix}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var admin = new NpgsqlConnection(server.ConnectionString(server.AdminDatabase, owner: true).ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using (var db = new NpgsqlConnection(server.ConnectionString(name, owner: true).ConnectionString))
        {
            await db.OpenAsync();
            await using var lockDown = new NpgsqlCommand("REVOKE ALL ON SCHEMA public FROM PUBLIC; REVOKE CONNECT ON DATABASE \"" + name + "\" FROM PUBLIC; GRANT CONNECT ON DATABASE \"" + name + "\" TO " + server.AppUser, db);
            await lockDown.ExecuteNonQueryAsync();
        }

        return new ScratchDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server.ConnectionString(Server.AdminDatabase, owner: true).ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
