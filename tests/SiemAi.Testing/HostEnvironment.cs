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
        string logLevel = "INFO") =>
        For(database, virtualHost.Endpoint, roles, ingestKey, logLevel);

    /// <summary>The same on any broker: a virtual host of the shared one, or a private node of the test.</summary>
    public static Dictionary<string, string> For(
        ScratchDatabase database,
        BrokerEndpoint broker,
        string roles,
        string ingestKey,
        string logLevel = "INFO")
    {
        var server = database.Server;
        return new Dictionary<string, string>
        {
            ["SIEMAI_ROLES"] = roles,
            ["DB_HOST"] = server.Host,
            ["DB_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["DB_NAME"] = database.Name,
            ["DB_USER"] = server.AppUser,
            ["DB_PASSWORD"] = server.AppPassword,
            ["DB_OWNER"] = server.OwnerUser,
            ["DB_OWNER_PASSWORD"] = server.OwnerPassword,
            ["RABBITMQ_HOST"] = broker.Host,
            ["RABBITMQ_PORT"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_USER"] = broker.User,
            ["RABBITMQ_PASSWORD"] = broker.Password,
            ["RABBITMQ_VHOST"] = broker.VirtualHost,
            ["API_KEY"] = ingestKey,
            ["LOG_LEVEL"] = logLevel,
        };
    }
}
