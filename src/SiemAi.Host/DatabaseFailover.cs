using MassTransit;
using Npgsql;

namespace SiemAi.Host;

/// <summary>
/// Keeps a consumer's message through a PostgreSQL failover (<c>DB_HOST</c> naming a primary and its standbys):
/// from the primary's death until a standby is promoted, no listed server is a primary, and Npgsql says so with
/// an exception it does not call transient ("Unable to connect to a suitable host", or "No suitable host was
/// found" while every server answers as a standby). The modules' own retry policies give up on it at once and the
/// message would go to its <c>_error</c> queue; this retry, on every endpoint, waits for the promotion instead.
/// </summary>
public static class DatabaseFailover
{
    /// <summary>How long a message waits for a primary: a failover manager detects and promotes well within this.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static void Retry(IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<NpgsqlException>(IsFailover);
            retry.Interval((int)(Window / Interval), Interval);
        });

    /// <summary>No primary reachable right now, or the connection to the old one broke: not the statement's fault.</summary>
    public static bool IsFailover(NpgsqlException exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is "57P01" or "57P02" or "57P03" or "25006",
        { InnerException: AggregateException or null } => true,
        _ => exception.IsTransient,
    };
}
