using System.Net;
using System.Net.Sockets;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

public sealed class When_the_broker_is_unreachable : IAsyncLifetime
{
    private ScratchDatabase database = null!;
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        database = await IngestionDatabase.CreateAsync("down");
        // A port that was just free on loopback: nothing accepts AMQP there.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = (ushort)((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        app = await TestApp.StartAsync(database, s => s["Ingestion:PublishTimeout"] = "00:00:02", brokerPort: closedPort);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Answers_503_and_never_202_while_no_confirm_can_arrive()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await app.PostAsync("/ingest/webhook", """{"source":"ids","title":"Beacon","severity":"high","host":"lab-1"}""");
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "broker");
            Assert.Contains("nothing was acknowledged", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }
}
