using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// A scratch database, a RabbitMQ virtual host, the real host (roles ingestion + saga) and, in the test
/// process, a producer bus with the stage stand-ins.
/// </summary>
public sealed class SpineFixture : IAsyncLifetime
{
    private IHost? producer;

    public ScratchDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost VirtualHost { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public IBus Bus => producer!.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync("e2e");
        VirtualHost = await RabbitVirtualHost.CreateAsync("e2e");
        Db = NpgsqlDataSource.Create(Database.AppConnectionString);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddConsumer<GenerateStandIn>();
            bus.AddConsumer<VerifyStandIn>();
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(ServiceSettings.RabbitHost, ServiceSettings.RabbitPort, VirtualHost.Name, h =>
                {
                    h.Username(ServiceSettings.RabbitUser);
                    h.Password(ServiceSettings.RabbitPassword);
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        producer = builder.Build();
        await producer.StartAsync();
    }

    public HostProcess NewHost(string roles = "ingestion,saga", IDictionary<string, string>? extra = null)
    {
        var env = HostEnvironment.For(Database, VirtualHost, roles, "e2e-" + Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return new HostProcess(env);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = Db.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        if (producer is not null)
        {
            await producer.StopAsync();
            producer.Dispose();
        }

        await Db.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
