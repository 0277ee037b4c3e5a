using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace SiemAi.Testing;

/// <summary>
/// A PostgreSQL cluster of one fixture, from the installed Debian binaries: initdb into a temp folder as the
/// <c>postgres</c> OS user, a free loopback port and a socket directory of its own, the owner and application
/// roles <c>infra/local/services.sh</c> creates (generated passwords). Tests may restart or crash it at will,
/// which they must never do to the machine's shared server. Disposal stops it and removes the folder.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private const string OsUser = "postgres";
    private const string Superuser = "postgres";

    private PrivatePostgresCluster(string folder, int port, DatabaseServer? server = null)
    {
        Folder = folder;
        Port = port;
        Server = server is null
            ? new DatabaseServer("127.0.0.1", port, "siemai", "siemai_owner", Secret(), "siemai_app", Secret())
            : server with { Host = "127.0.0.1", Port = port };
    }

    /// <summary>Where to connect, with the owner and application roles; hand it to <see cref="ScratchDatabase.CreateAsync"/>.</summary>
    public DatabaseServer Server { get; }

    public int Port { get; }
    public string Folder { get; }
    public string DataDirectory => Path.Combine(Folder, "data");
    public string SocketDirectory => Path.Combine(Folder, "socket");
    public string LogFile => Path.Combine(Folder, "server.log");
    /// <summary>How many times the server was started, the first start included.</summary>
    public int Starts { get; private set; }

    private static string Bin => Path.Combine(
        Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).LastOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL under /usr/lib/postgresql: run infra/local/services.sh."),
        "bin");

    public static async Task<PrivatePostgresCluster> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("siemai-pg-").FullName;
        var cluster = new PrivatePostgresCluster(folder, FreePort.Next());
        try
        {
            Directory.CreateDirectory(cluster.SocketDirectory);
            await OsCommand.RequireAsync("chown", ["-R", $"{OsUser}:{OsUser}", folder]);
            await cluster.PgAsync("initdb", "-D", cluster.DataDirectory, "-U", Superuser, "--auth-local=trust", "--auth-host=scram-sha-256",
                "--no-sync", "-E", "UTF8", "--locale=C.UTF-8");
            // fsync off: a stopped or crashed server still has every write in the OS cache; only the
            // machine losing power would lose data, which these tests do not play.
            await File.AppendAllTextAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), string.Join('\n',
                $"port = {cluster.Port.ToString(CultureInfo.InvariantCulture)}",
                "listen_addresses = '127.0.0.1'",
                $"unix_socket_directories = '{cluster.SocketDirectory}'",
                "max_connections = 300",
                "fsync = off",
                "shared_buffers = 32MB",
                "") + "\n");
            await cluster.StartServerAsync();
            await cluster.CreateRolesAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (fast: sessions are cut, open transactions rolled back; immediate: a crash) and starts it again.</summary>
    public async Task RestartAsync(PostgresShutdown mode = PostgresShutdown.Fast, TimeSpan? downFor = null)
    {
        await StopAsync(mode);
        if (downFor is { } pause)
        {
            await Task.Delay(pause);
        }

        await StartServerAsync();
    }

    /// <summary>
    /// A streaming standby of this (primary) server, as an operator makes one: <c>pg_basebackup -R</c> into a
    /// folder of its own (which writes <c>standby.signal</c> and <c>primary_conninfo</c>), its own port and socket,
    /// started and caught up. With <paramref name="synchronous"/> the primary waits, on every commit, until the
    /// standby has flushed the commit's WAL (<c>synchronous_standby_names = '*'</c>), so no committed transaction
    /// is missing on the standby when the primary dies.
    /// </summary>
    public async Task<PrivatePostgresCluster> StartStandbyAsync(bool synchronous)
    {
        var folder = Directory.CreateTempSubdirectory("siemai-pg-standby-").FullName;
        var standby = new PrivatePostgresCluster(folder, FreePort.Next(), Server);
        try
        {
            Directory.CreateDirectory(standby.SocketDirectory);
            await OsCommand.RequireAsync("chown", ["-R", $"{OsUser}:{OsUser}", folder]);
            await PgAsync("pg_basebackup", "-h", SocketDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Superuser,
                "-D", standby.DataDirectory, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync");
            // The copied postgresql.conf names the primary's port and socket; later lines win. A promoted standby
            // has no standby of its own, so it must not wait for one (its commits would hang).
            await File.AppendAllTextAsync(Path.Combine(standby.DataDirectory, "postgresql.conf"), string.Join('\n',
                $"port = {standby.Port.ToString(CultureInfo.InvariantCulture)}",
                $"unix_socket_directories = '{standby.SocketDirectory}'",
                "synchronous_standby_names = ''",
                "") + "\n");
            await standby.StartServerAsync();
            if (synchronous)
            {
                await SuperuserSqlAsync("ALTER SYSTEM SET synchronous_standby_names = '*'");
                await SuperuserSqlAsync("SELECT pg_reload_conf()");
            }

            // Caught up when the primary sees it streaming (and, when synchronous, counts it as the sync standby).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            var wanted = synchronous ? "sync" : "async";
            while (await SuperuserScalarAsync("SELECT string_agg(state || '/' || sync_state, ',') FROM pg_stat_replication") is var state
                && state != $"streaming/{wanted}")
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the standby on port {standby.Port} is not streaming ({state}):\n{standby.LogTail()}");
                }

                await Task.Delay(200);
            }

            return standby;
        }
        catch
        {
            await standby.DisposeAsync();
            throw;
        }
    }

    /// <summary>This server and its standby as one multi-host server (<c>DB_HOST=127.0.0.1:p1,127.0.0.1:p2</c>): connections find the primary.</summary>
    public DatabaseServer WithStandby(PrivatePostgresCluster standby) =>
        Server with { Host = $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},127.0.0.1:{standby.Port.ToString(CultureInfo.InvariantCulture)}" };

    /// <summary><c>pg_ctl promote</c>: the standby leaves recovery and accepts writes; returns once it does.</summary>
    public async Task PromoteAsync()
    {
        await PgAsync("pg_ctl", "-D", DataDirectory, "-w", "-t", "60", "promote");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await SuperuserScalarAsync("SELECT pg_is_in_recovery()::text") != "false")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the server on port {Port} is still in recovery after promote:\n{LogTail()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Runs SQL as the superuser over this server's private socket (trust); the first column of the first row as text.</summary>
    public async Task<string?> SuperuserScalarAsync(string sql)
    {
        var superuser = new NpgsqlConnectionStringBuilder { Host = SocketDirectory, Port = Port, Username = Superuser, Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(superuser.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private Task SuperuserSqlAsync(string sql) => SuperuserScalarAsync(sql);

    /// <summary>
    /// SIGKILL to the postmaster and every backend at once: what a machine that lost power looks like to its
    /// clients (no shutdown checkpoint, every session cut). The data folder stays as the crash left it.
    /// </summary>
    public async Task KillAsync()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        var postmaster = (await File.ReadAllLinesAsync(pidFile))[0].Trim();
        var children = await OsCommand.RunAsync("pgrep", ["-P", postmaster]);
        await OsCommand.RequireAsync("kill", ["-KILL", postmaster, .. children.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await OsCommand.RunAsync("kill", ["-0", postmaster])).ExitCode == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public Task StopAsync(PostgresShutdown mode = PostgresShutdown.Fast) =>
        PgAsync("pg_ctl", "-D", DataDirectory, "-m", mode == PostgresShutdown.Fast ? "fast" : "immediate", "-w", "-t", "60", "stop");

    public async Task StartServerAsync()
    {
        await PgAsync("pg_ctl", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "start");
        Starts++;
    }

    public string LogTail(int lines = 30)
    {
        try
        {
            var all = File.ReadAllLines(LogFile);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException ex)
        {
            return $"(no server log: {ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            // Immediate: nothing of a disposed cluster needs to survive, and a fast stop waits for every session.
            await OsCommand.RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"], OsUser, Folder);
        }

        Directory.Delete(Folder, recursive: true);
    }

    private async Task CreateRolesAsync()
    {
        // Trust on the private socket only: TCP needs the generated passwords, as on the shared server.
        var superuser = new NpgsqlConnectionStringBuilder { Host = SocketDirectory, Port = Port, Username = Superuser, Database = "postgres", Pooling = false };
        await using (var admin = new NpgsqlConnection(superuser.ConnectionString))
        {
            await admin.OpenAsync();
            await using var roles = new NpgsqlCommand($"""
                CREATE ROLE {Server.OwnerUser} LOGIN CREATEDB PASSWORD '{Server.OwnerPassword}';
                CREATE ROLE {Server.AppUser} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{Server.AppPassword}';
                GRANT {Server.AppUser} TO {Server.OwnerUser};
                """, admin);
            await roles.ExecuteNonQueryAsync();
            // Alone: CREATE DATABASE refuses to run inside the implicit transaction of a batch.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Server.AdminDatabase} OWNER {Server.OwnerUser}", admin);
            await create.ExecuteNonQueryAsync();
        }

        superuser.Database = Server.AdminDatabase;
        await using var db = new NpgsqlConnection(superuser.ConnectionString);
        await db.OpenAsync();
        await using var schema = new NpgsqlCommand($"REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE, CREATE ON SCHEMA public TO {Server.OwnerUser};", db);
        await schema.ExecuteNonQueryAsync();
    }

    private Task<string> PgAsync(string program, params string[] arguments) =>
        OsCommand.RequireAsync(Path.Combine(Bin, program), arguments, OsUser, Folder, TimeSpan.FromMinutes(3));

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
}
