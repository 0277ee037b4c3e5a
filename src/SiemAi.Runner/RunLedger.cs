using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SiemAi.Contracts;

namespace SiemAi.Runner;

/// <summary>
/// The runner's memory of each RunId (table <c>runner_runs</c>): claimed before ansible-playbook starts,
/// finished with the answer that was published. A RunPlaybook seen again therefore never starts a second run.
/// </summary>
public sealed class RunLedger(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string Me = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Claims the run, or says what the ledger already knows about it.</summary>
    public async Task<RunClaim> ClaimAsync(RunPlaybook command, CancellationToken ct)
    {
        await using var insert = dataSource.CreateCommand(
            "INSERT INTO runner_runs (run_id, incident_id, mode, claimed_by) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id) DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = command.RunId });
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = command.IncidentId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = command.Mode.ToString() });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Me });
        if (await insert.ExecuteNonQueryAsync(ct) == 1)
        {
            return new RunClaim(RunClaimState.Claimed, null, null, null, null);
        }

        await using var select = dataSource.CreateCommand(
            "SELECT claimed_at, claimed_by, answer_type, answer::text, answer_message_id FROM runner_runs WHERE run_id = $1");
        select.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = command.RunId });
        await using var reader = await select.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var claimedAt = reader.GetFieldValue<DateTimeOffset>(0);
        var claimedBy = reader.GetString(1);
        if (reader.IsDBNull(2))
        {
            return new RunClaim(RunClaimState.InProgress, claimedAt, claimedBy, null, null);
        }

        object answer = reader.GetString(2) == nameof(PlaybookRunCompleted)
            ? JsonSerializer.Deserialize<PlaybookRunCompleted>(reader.GetString(3), Json)!
            : JsonSerializer.Deserialize<PlaybookRunFailed>(reader.GetString(3), Json)!;
        return new RunClaim(RunClaimState.Finished, claimedAt, claimedBy, answer, reader.GetGuid(4));
    }

    /// <summary>Records the answer before it is published, so a crash in between re-publishes the same answer.</summary>
    public async Task FinishAsync(Guid runId, object answer, Guid answerMessageId, CancellationToken ct)
    {
        await using var update = dataSource.CreateCommand(
            "UPDATE runner_runs SET finished_at = now(), answer_type = $2, answer = $3, answer_message_id = $4 WHERE run_id = $1 AND finished_at IS NULL");
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = answer.GetType().Name });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(answer, answer.GetType(), Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = answerMessageId });
        await update.ExecuteNonQueryAsync(ct);
    }
}

public enum RunClaimState
{
    /// <summary>This consumer owns the run: start ansible.</summary>
    Claimed,

    /// <summary>Another delivery claimed it and has not answered yet.</summary>
    InProgress,

    /// <summary>Answered before: re-publish <see cref="RunClaim.Answer"/>.</summary>
    Finished,
}

public sealed record RunClaim(RunClaimState State, DateTimeOffset? ClaimedAt, string? ClaimedBy, object? Answer, Guid? AnswerMessageId);
