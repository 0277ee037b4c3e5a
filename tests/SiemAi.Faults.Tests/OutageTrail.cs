using Npgsql;
using SiemAi.Testing;

namespace SiemAi.Faults.Tests;

/// <summary>
/// What an operator would find in the database after an outage run: incidents, their event streams, the
/// outbox and ingestion's alert records. Every query opens a fresh connection (no pool), so a restarted
/// server never hands the test a dead connection.
/// </summary>
public sealed class OutageTrail(ScratchDatabase database, string run)
{
    public static readonly string[] ExpectedStream = ["alert_received", "playbook_generated", "playbook_verified", "approval_requested"];

    private readonly string connectionString = new NpgsqlConnectionStringBuilder(database.AppConnectionString) { Pooling = false }.ConnectionString;

    public async Task<long> IncidentsAsync(string? status = null) =>
        await ScalarAsync("SELECT count(*) FROM incidents WHERE title LIKE '%' || $1 || '%' AND ($2::text IS NULL OR status = $2)", run, status);

    /// <summary>Per incident stream of this run: its (version, type) in version order.</summary>
    public async Task<Dictionary<string, List<(long Version, string Type)>>> StreamsAsync()
    {
        await using var connection = await OpenAsync();
        return await RunStreams.ReadAsync(connection, run);
    }

    /// <summary>Incidents of this run counting more than one alert: a re-sent alert counted twice would show here.</summary>
    public Task<long> IncidentsWithSeveralAlertsAsync() =>
        ScalarAsync("SELECT count(*) FROM incidents WHERE title LIKE '%' || $1 || '%' AND alert_count <> 1", run);

    public Task<long> AlertRecordsAsync(IReadOnlyCollection<Guid> alertIds) =>
        ScalarAsync("SELECT count(*) FROM ingestion_alerts WHERE alert_id = ANY($1)", alertIds.ToArray());

    public Task<long> OutboxRowsAsync() => ScalarAsync("SELECT count(*) FROM outbox");

    /// <summary>The newest events of the run's incidents that are not where they should be, to explain a failure.</summary>
    public async Task<string> StragglersAsync(string expectedStatus)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT string_agg(i.title || ' ' || i.status, E'\n') FROM incidents i
             WHERE i.title LIKE '%' || $1 || '%' AND i.status <> $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        command.Parameters.Add(new NpgsqlParameter { Value = expectedStatus });
        return await command.ExecuteScalarAsync() as string ?? "(none)";
    }

    public async Task<long> ScalarAsync(string sql, params object?[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Polls until <paramref name="condition"/> holds; a database that is briefly away counts as "not yet".</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan within, Func<Task<string>> explain)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // The server under test is restarting; ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(await explain());
            }

            await Task.Delay(500);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
