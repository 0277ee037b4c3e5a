using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// A wrong cluster or failover setting stops the host at start with a message naming the setting and the value,
/// before it connects anywhere: an operator finds the typo in the log, not in a half-working pipeline.
/// </summary>
public sealed class When_high_availability_settings_are_wrong
{
    [Theory]
    [InlineData("RABBITMQ_NODES", "rabbit-1:5672,rabbit-2:five", "RABBITMQ_NODES entry 'rabbit-2:five' must be host:port")]
    [InlineData("RABBITMQ_NODES", "rabbit-1:5672,,rabbit-3:5672", "RABBITMQ_NODES has an empty entry")]
    [InlineData("RABBITMQ_NODES", "rabbit-1:5672,rabbit-1:5672", "RABBITMQ_NODES names rabbit-1:5672 twice")]
    [InlineData("RABBITMQ_QUEUE_TYPE", "mirrored", "RABBITMQ_QUEUE_TYPE must be quorum or classic, not 'mirrored'")]
    [InlineData("RABBITMQ_DELIVERY_LIMIT", "0", "RABBITMQ_DELIVERY_LIMIT must be a whole number of deliveries, 1 or more, not '0'")]
    [InlineData("DB_HOST", "pg-1:5432,pg-2:54x2", "DB_HOST entry 'pg-2:54x2' must be host or host:port")]
    [InlineData("DB_HOST", "pg-1:5432,,pg-2", "DB_HOST has an empty host")]
    [InlineData("DB_HOST", "pg-1,pg-1", "DB_HOST names a server twice")]
    public async Task The_host_refuses_to_start_and_names_the_setting(string setting, string value, string expected)
    {
        var env = new Dictionary<string, string>
        {
            ["SIEMAI_ROLES"] = "generator",
            ["DB_USER"] = "siemai_app",
            ["DB_PASSWORD"] = "not-used-the-start-fails-first",
            ["RABBITMQ_USER"] = "siemai",
            ["RABBITMQ_PASSWORD"] = "not-used-the-start-fails-first",
            [setting] = value,
        };
        await using var host = new HostProcess(env);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("exited", refused.Message, StringComparison.Ordinal);
        Assert.Contains(expected, host.Log, StringComparison.Ordinal);
    }
}
