using Npgsql;

namespace SiemAi.Testing;

/// <summary>
/// Connection settings for the real services, from the environment that
/// <c>infra/local/services.sh</c> prints. Missing settings fail the test with a message naming the script:
/// integration tests never skip silently.
/// </summary>
public static class ServiceSettings
{
    public const string Hint = "Real RabbitMQ/PostgreSQL are required: run `eval \"$(infra/local/services.sh)\"` first (or use infra/local/test.sh, which does it).";

    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Environment variable {name} is not set. {Hint}");

    public static string Optional(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    public static NpgsqlConnectionStringBuilder Postgres(string? database, bool owner) => new()
    {
        Host = Optional("DB_HOST", "127.0.0.1"),
        Port = int.Parse(Optional("DB_PORT", "5432")),
        Database = database ?? Require("DB_NAME"),
        Username = owner ? Require("DB_OWNER") : Require("DB_USER"),
        Password = owner ? Require("DB_OWNER_PASSWORD") : Require("DB_PASSWORD"),
        Pooling = true,
        MaxPoolSize = 100,
    };

    public static string RabbitHost => Optional("RABBITMQ_HOST", "127.0.0.1");
    public static ushort RabbitPort => ushort.Parse(Optional("RABBITMQ_PORT", "5672"));
    public static string RabbitUser => Require("RABBITMQ_USER");
    public static string RabbitPassword => Require("RABBITMQ_PASSWORD");
    public static string RabbitVirtualHost => Optional("RABBITMQ_VHOST", "/");
}
