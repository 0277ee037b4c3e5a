using Npgsql;

namespace SiemAi.Incidents.Persistence;

/// <summary>One transition's connection and transaction: saga row, events, read model, outbox, inbox and timers commit together.</summary>
public sealed class IncidentDbContext : IAsyncDisposable
{
    private IncidentDbContext(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    /// <summary>The audit events this transaction appended, logged once it has committed.</summary>
    public List<RecordedAuditEvent> Appended { get; } = [];

    public static async Task<IncidentDbContext> BeginAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            return new IncidentDbContext(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public Task CommitAsync(CancellationToken ct) => Transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
