using System.Globalization;

namespace SiemAi.Host;

/// <summary>One RabbitMQ cluster node the host may connect to.</summary>
public sealed record RabbitMqNode(string Host, ushort Port)
{
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
