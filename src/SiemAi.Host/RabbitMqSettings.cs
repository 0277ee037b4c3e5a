namespace SiemAi.Host;

/// <summary>RabbitMQ from <c>RABBITMQ_HOST/PORT/USER/PASSWORD/VHOST</c> (the seed's <c>REDIS_*</c> became these).</summary>
public sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string User, string Password)
{
    public static RabbitMqSettings From(IConfiguration configuration)
    {
        var portText = configuration["RABBITMQ_PORT"] ?? "5672";
        if (!ushort.TryParse(portText, out var port) || port == 0)
        {
            throw new InvalidOperationException($"RABBITMQ_PORT must be a port number, not '{portText}'.");
        }

        return new RabbitMqSettings(
            configuration["RABBITMQ_HOST"] ?? "127.0.0.1",
            port,
            configuration["RABBITMQ_VHOST"] ?? "/",
            configuration["RABBITMQ_USER"] ?? throw new InvalidOperationException("RABBITMQ_USER is not set. Run infra/local/services.sh to get local settings."),
            configuration["RABBITMQ_PASSWORD"] ?? throw new InvalidOperationException("RABBITMQ_PASSWORD is not set."));
    }
}
