using Npgsql;

namespace SiemAi.Testing;

/// <summary>
/// A PostgreSQL server and the two roles SiemAi uses on it (the owner that migrates and creates scratch
/// databases, the application role the host runs as): the shared one from <c>infra/local/services.sh</c>,
/// or a <see cref="PrivatePostgresCluster"/> of one fixture.
/// </summary>
public sealed record DatabaseServer(
    string Host,
    int Port,
    string AdminDatabase,
    string OwnerUser,
    string OwnerPassword,
    string AppUser,
    string AppPassword)
{
    /// <summary>The machine's shared server, as <c>services.sh</c> printed it (read when asked, so a missing setting names the script).</summary>
    public static DatabaseServer Shared => new(
        ServiceSettings.Optional("DB_HOST", "127.0.0.1"),
        int.Parse(ServiceSettings.Optional("DB_PORT", "5432")),
        ServiceSettings.Optional("DB_NAME", "siemai"),
        ServiceSettings.Require("DB_OWNER"),
        ServiceSettings.Require("DB_OWNER_PASSWORD"),
        ServiceSettings.Require("DB_USER"),
        ServiceSettings.Require("DB_PASSWORD"));

    public NpgsqlConnectionStringBuilder ConnectionString(string database, bool owner) => new()
    {
        Host = Host,
        Port = Port,
        Database = database,
        Username = owner ? OwnerUser : AppUser,
        Password = owner ? OwnerPassword : AppPassword,
        Pooling = true,
        MaxPoolSize = 100,
        // A primary and its standby (host:port,host:port): writes go to whichever is the primary now.
        TargetSessionAttributes = Host.Contains(',', StringComparison.Ordinal) ? "primary" : null,
    };
}
