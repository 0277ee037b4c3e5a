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
        var db = ServiceSettings.Postgres(Database.Name, owner: false);
        var env = new Dictionary<string, string>
        {
            ["SIEMAI_ROLES"] = roles,
            ["DB_HOST"] = db.Host!,
            ["DB_PORT"] = db.Port.ToString(),
            ["DB_NAME"] = Database.Name,
            ["DB_USER"] = db.Username!,
            ["DB_PASSWORD"] = db.Password!,
            ["DB_OWNER"] = ServiceSettings.Require("DB_OWNER"),
            ["DB_OWNER_PASSWORD"] = ServiceSettings.Require("DB_OWNER_PASSWORD"),
            ["RABBITMQ_HOST"] = ServiceSettings.RabbitHost,
            ["RABBITMQ_PORT"] = ServiceSettings.RabbitPort.ToString(),
            ["RABBITMQ_USER"] = ServiceSettings.RabbitUser,
            ["RABBITMQ_PASSWORD"] = ServiceSettings.RabbitPassword,
            ["RABBITMQ_VHOST"] = VirtualHost.Name,
            ["API_KEY"] = "e2e-" + Guid.NewGuid().ToString("N"),
            ["LOG_LEVEL"] = "INFO",
        };
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
