using Npgsql;

namespace SiemAi.Hosting;

/// <summary>
/// PostgreSQL settings from the seed's variables (<c>DB_HOST</c>, <c>DB_PORT</c>, <c>DB_NAME</c>, <c>DB_USER</c>,
/// <c>DB_PASSWORD</c>; <c>DB_OWNER</c>/<c>DB_OWNER_PASSWORD</c> for migrations) or <c>ConnectionStrings:SiemAi</c>.
/// </summary>
public sealed record DatabaseSettings(string AppConnectionString, string? OwnerConnectionString, string AppRole)
{
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
            MaxPoolSize = 50,
        };
        string? owner = null;
        if (setting("DB_OWNER") is { Length: > 0 } ownerUser && setting("DB_OWNER_PASSWORD") is { Length: > 0 } ownerPassword)
        {
            owner = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Username = ownerUser, Password = ownerPassword, MaxPoolSize = 2 }.ConnectionString;
        }

        return new DatabaseSettings(app.ConnectionString, owner, app.Username!);
    }
}
