namespace SiemAi.Benchmarks;

/// <summary>Sizes and durations; <see cref="Quick"/> shrinks them so a smoke run stays under a minute.</summary>
public sealed record BenchmarkOptions(bool Quick)
{
    /// <summary>Concurrent writers for the single-event append comparison.</summary>
    public int Writers => 8;

    /// <summary>Alternating rounds (store, raw, raw, store, ...) so drift on a shared machine hits both sides.</summary>
    public int AppendRounds => Quick ? 2 : 4;

    public TimeSpan AppendPhase => Quick ? TimeSpan.FromSeconds(1.5) : TimeSpan.FromSeconds(3);

    public int BatchStreams => 500;
    public int BatchEventsPerStream => 10;

    /// <summary>Events the verifier reads (loaded through the batch path before it runs).</summary>
    public int VerifyEvents => Quick ? 100_000 : 250_000;

    public int SagaRounds => Quick ? 1 : 2;
    public int SagaIncidentsPerRound => Quick ? 300 : 1000;
    /// <summary>Untimed incidents (twice per pipeline up front, a third of it per fresh bus): lets tiered JIT settle.</summary>
    public int SagaWarmupIncidents => Quick ? 60 : 300;

    public double LatencyRate => 20;
    public TimeSpan LatencyDuration => Quick ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(20);

    /// <summary>Check runs per side (ours, bare ansible-playbook), alternating.</summary>
    public int RunnerRounds => Quick ? 3 : 9;

    /// <summary>Runs started at once for each concurrency limit.</summary>
    public int RunnerConcurrentRuns => Quick ? 4 : 8;

    public int IngestRounds => Quick ? 2 : 4;
    public int IngestAlertsPerRound => Quick ? 1000 : 4000;

    /// <summary>Paced UDP rates tried in order until one loses messages.</summary>
    public int[] SyslogRates => Quick ? [1_000, 5_000] : [2_500, 5_000, 10_000, 20_000];
    public int SyslogSeconds => Quick ? 3 : 10;

    public int StormAlerts => Quick ? 10_000 : 100_000;
}
