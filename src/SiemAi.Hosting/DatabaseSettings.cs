using System.Net;
using Npgsql;

namespace SiemAi.Hosting;

/// <summary>
/// PostgreSQL settings from the seed's variables (<c>DB_HOST</c>, <c>DB_PORT</c>, <c>DB_NAME</c>, <c>DB_USER</c>,
/// <c>DB_PASSWORD</c>, <c>DB_SSL_MODE</c>; <c>DB_OWNER</c>/<c>DB_OWNER_PASSWORD</c> for migrations) or
/// <c>ConnectionStrings:SiemAi</c>. <c>DB_HOST</c> may name several servers (<c>host[:port],host[:port]</c>, a host
/// without a port uses <c>DB_PORT</c>): every connection then goes to whichever one is the primary
/// (<c>Target Session Attributes=primary</c>), so a promoted standby is found.
/// </summary>
public sealed record DatabaseSettings(string AppConnectionString, string? OwnerConnectionString, string AppRole)
{
    /// <summary>True when the application connection string names several servers (a primary and its standbys).</summary>
    public bool HasStandbys => new NpgsqlConnectionStringBuilder(AppConnectionString).Host?.Contains(',', StringComparison.Ordinal) ?? false;

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
            Host = Hosts(setting("DB_HOST") ?? "127.0.0.1"),
            Port = int.TryParse(setting("DB_PORT"), out var port) ? port : 5432,
            Database = setting("DB_NAME") ?? "siemai",
            Username = Require("DB_USER"),
            Password = Require("DB_PASSWORD"),
        };
        if (app.Host!.Contains(',', StringComparison.Ordinal))
        {
            app.TargetSessionAttributes = "primary";
            // Npgsql remembers a host's role (primary, standby, down) this long: short, so a promoted standby
            // is tried soon after it was seen as a standby.
            app.HostRecheckSeconds = 2;
        }

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

    private static string Hosts(string text)
    {
        var hosts = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var host in hosts)
        {
            var colon = host.LastIndexOf(':');
            if (host.Length == 0 || colon == 0)
            {
                throw new InvalidOperationException($"DB_HOST has an empty host in '{text}': list servers as host[:port],host[:port].");
            }

            if (colon > 0 && !host.StartsWith('[') && !(int.TryParse(host[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536))
            {
                throw new InvalidOperationException($"DB_HOST entry '{host}' must be host or host:port with a port number.");
            }
        }

        if (hosts.Distinct(StringComparer.OrdinalIgnoreCase).Count() != hosts.Length)
        {
            throw new InvalidOperationException($"DB_HOST names a server twice in '{text}'.");
        }

        return string.Join(',', hosts);
    }

    /// <summary>Loopback when every host of a (multi-host) list is: TLS would protect nothing on any of them.</summary>
    private static bool IsLoopback(string? hosts) =>
        hosts is not null && hosts.Split(',').All(h => IsLoopbackHost(h.LastIndexOf(':') is > 0 and var colon && !h.StartsWith('/') ? h[..colon] : h));

    private static bool IsLoopbackHost(string host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)) || host.StartsWith('/');
}
