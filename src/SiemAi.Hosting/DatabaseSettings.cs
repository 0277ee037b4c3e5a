using System.Net;
using Npgsql;

namespace SiemAi.Hosting;

/// <summary>
/// PostgreSQL settings from the seed's variables (<c>DB_HOST</c>, <c>DB_PORT</c>, <c>DB_NAME</c>, <c>DB_USER</c>,
/// <c>DB_PASSWORD</c>, <c>DB_SSL_MODE</c>; <c>DB_OWNER</c>/<c>DB_OWNER_PASSWORD</c> for migrations) or
/// <c>ConnectionStrings:SiemAi</c>.
/// </summary>
public sealed record DatabaseSettings(string AppConnectionString, string? OwnerConnectionString, string AppRole)
{
    /// <summary>Connections the host's pool may open.</summary>
    public const int PoolSize = 50;

    public static DatabaseSettings From(Func<string, string?> setting)
    {
        if (setting("ConnectionStrings:SiemAi") is { Length: > 0 } explicitString)
        {
            var explicitBuilder = new NpgsqlConnectionStringBuilder(explicitString);
            return new DatabaseSettings(explicitString, setting("ConnectionStrings:SiemAiOwner"), explicitBuilder.Username ?? "siemai_app");
        }

        string Require(string name) => setting(name) is { Length: > 0 } v
            ? v
            : throw new InvalidOperationException($"{name} is not set (or set ConnectionStrings:SiemAi). Run infra/local/services.sh to get local settings.");

        var app = new NpgsqlConnectionStringBuilder
        {
            Host = setting("DB_HOST") ?? "127.0.0.1",
            Port = int.TryParse(setting("DB_PORT"), out var port) ? port : 5432,
            Database = setting("DB_NAME") ?? "siemai",
            Username = Require("DB_USER"),
            Password = Require("DB_PASSWORD"),
        };
        Tune(app, setting("DB_SSL_MODE"));
        string? owner = null;
        if (setting("DB_OWNER") is { Length: > 0 } ownerUser && setting("DB_OWNER_PASSWORD") is { Length: > 0 } ownerPassword)
        {
            owner = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Username = ownerUser, Password = ownerPassword, MaxPoolSize = 2 }.ConnectionString;
        }

        return new DatabaseSettings(app.ConnectionString, owner, app.Username!);
    }

    /// <summary>
    /// What every SiemAi connection to PostgreSQL uses (the host, and benchmarks that must meet the same
    /// limits): the pool size, statements prepared once per connection, and TLS. TLS defaults to
    /// <c>Prefer</c> (Npgsql's default) except on a loopback host, where it protects nothing and cost
    /// about a seventh of the saga's client CPU; <paramref name="sslMode"/> (<c>DB_SSL_MODE</c>) overrides both.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Tune(NpgsqlConnectionStringBuilder builder, string? sslMode = null)
    {
        builder.MaxPoolSize = PoolSize;
        builder.MaxAutoPrepare = 32;
        builder.AutoPrepareMinUsages = 2;
        if (string.IsNullOrWhiteSpace(sslMode))
        {
            builder.SslMode = IsLoopback(builder.Host) ? SslMode.Disable : SslMode.Prefer;
        }
        else if (Enum.TryParse<SslMode>(sslMode.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var mode) && Enum.IsDefined(mode))
        {
            builder.SslMode = mode;
        }
        else
        {
            throw new InvalidOperationException($"DB_SSL_MODE must be one of {string.Join(", ", Enum.GetNames<SslMode>())}, not '{sslMode}'.");
        }

        return builder;
    }

    private static bool IsLoopback(string? host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)) || (host?.StartsWith('/') ?? false);
}
