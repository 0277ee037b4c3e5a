using System.Globalization;

namespace SiemAi.Testing;

/// <summary>
/// The environment a test hands the real host: its scratch database (app role for the host, owner role
/// for migrations at start), its RabbitMQ virtual host, the roles it plays and the ingestion key.
/// Tests add their own settings on top.
/// </summary>
public static class HostEnvironment
{
    public static Dictionary<string, string> For(
        ScratchDatabase database,
        RabbitVirtualHost virtualHost,
        string roles,
        string ingestKey,
        string logLevel = "INFO")
    {
        var db = ServiceSettings.Postgres(database.Name, owner: false);
        return new Dictionary<string, string>
        {
            ["SIEMAI_ROLES"] = roles,
            ["DB_HOST"] = db.Host!,
            ["DB_PORT"] = db.Port.ToString(CultureInfo.InvariantCulture),
            ["DB_NAME"] = database.Name,
            ["DB_USER"] = db.Username!,
            ["DB_PASSWORD"] = db.Password!,
            ["DB_OWNER"] = ServiceSettings.Require("DB_OWNER"),
            ["DB_OWNER_PASSWORD"] = ServiceSettings.Require("DB_OWNER_PASSWORD"),
            ["RABBITMQ_HOST"] = ServiceSettings.RabbitHost,
            ["RABBITMQ_PORT"] = ServiceSettings.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_USER"] = ServiceSettings.RabbitUser,
            ["RABBITMQ_PASSWORD"] = ServiceSettings.RabbitPassword,
            ["RABBITMQ_VHOST"] = virtualHost.Name,
            ["API_KEY"] = ingestKey,
            ["LOG_LEVEL"] = logLevel,
        };
    }
}
