using System.Net;
using System.Net.Sockets;
using System.Text;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

/// <summary>
/// Syslog honours the host's BIND_ADDRESS (issue #21: it used to listen on every interface whatever it said).
/// 127.0.0.2 is a loopback address of its own on Linux, so "bound there and nowhere else" can be seen.
/// </summary>
public sealed class When_syslog_binds_where_the_host_listens : IAsyncLifetime
{
    private ScratchDatabase database = null!;
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        database = await IngestionDatabase.CreateAsync("bind");
        app = await TestApp.StartAsync(database, s =>
        {
            s.Remove("Ingestion:Syslog:BindAddress");
            s["BIND_ADDRESS"] = "127.0.0.2";
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Listens_on_the_bind_address_only()
    {
        Assert.Equal(IPAddress.Parse("127.0.0.2"), app.Syslog.Address);
        var port = app.Syslog.TcpPort!.Value;

        using (var elsewhere = new TcpClient())
        {
            var refused = await Assert.ThrowsAsync<SocketException>(() => elsewhere.ConnectAsync(IPAddress.Loopback, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        var marker = "b" + Guid.NewGuid().ToString("N")[..12];
        using (var here = new TcpClient())
        {
            await here.ConnectAsync(IPAddress.Parse("127.0.0.2"), port);
            await here.GetStream().WriteAsync(Encoding.UTF8.GetBytes($"<13>Mar  1 10:00:00 web-5 app: bound {marker}\n"));
            here.Client.Shutdown(SocketShutdown.Send);
        }

        var alert = (await app.Collector.WaitForAsync(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal))).Alert;
        Assert.Equal("web-5", alert.Asset);
    }

    [Fact]
    public async Task An_explicit_syslog_address_still_wins_over_the_host_default()
    {
        await using var own = await TestApp.StartAsync(database, s =>
        {
            s["Ingestion:Syslog:BindAddress"] = "127.0.0.3";
            s["BIND_ADDRESS"] = "127.0.0.2";
        });

        Assert.Equal(IPAddress.Parse("127.0.0.3"), own.Syslog.Address);
    }
}
