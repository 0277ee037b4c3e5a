using SiemAi.Testing;

namespace SiemAi.Operations.Tests;

/// <summary>
/// TLS to PostgreSQL: off by default for a loopback server (it protects nothing there and costs CPU on
/// every transition), on when DB_SSL_MODE asks for it, and a wrong value stops the host naming the setting.
/// </summary>
public sealed class When_the_database_connection_is_configured(OperationsFixture ops) : IClassFixture<OperationsFixture>
{
    [Fact]
    public async Task A_loopback_server_is_reached_without_tls_unless_DB_SSL_MODE_requires_it()
    {
        var plain = ops.Environment("plain-" + Guid.NewGuid().ToString("N"));
        await using (var host = new HostProcess(plain))
        {
            await host.StartAsync(TimeSpan.FromSeconds(90));
            Assert.Equal(["f"], await SslOfHostConnectionsAsync());
        }

        var required = ops.Environment("tls-" + Guid.NewGuid().ToString("N"));
        required["DB_SSL_MODE"] = "require";
        await using (var host = new HostProcess(required))
        {
            await host.StartAsync(TimeSpan.FromSeconds(90));
            Assert.Contains("t", await SslOfHostConnectionsAsync());
        }
    }

    [Fact]
    public async Task Refuses_to_start_with_an_unknown_ssl_mode_and_names_the_setting()
    {
        var env = ops.Environment("bad-ssl-" + Guid.NewGuid().ToString("N"));
        env["DB_SSL_MODE"] = "sometimes";

        var output = await OperationsFixture.RefusedStartAsync(env);

        Assert.Contains("DB_SSL_MODE must be one of", output, StringComparison.Ordinal);
        Assert.Contains("'sometimes'", output, StringComparison.Ordinal);
    }

    /// <summary>Distinct TLS flags ("t"/"f") of the application role's connections to this fixture's database.</summary>
    private async Task<string[]> SslOfHostConnectionsAsync()
    {
        var output = await Superuser.PsqlAsync(ops.Database.Name, $"""
            SELECT DISTINCT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
            WHERE a.datname = '{ops.Database.Name}' AND a.usename = '{ServiceSettings.Require("DB_USER")}'
            """);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
