namespace SiemAi.Testing;

/// <summary>Where a host or a test bus connects to RabbitMQ: a virtual host on the shared broker, or a <see cref="PrivateRabbitNode"/>.</summary>
public sealed record BrokerEndpoint(string Host, ushort Port, string VirtualHost, string User, string Password);
