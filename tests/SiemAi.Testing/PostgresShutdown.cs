namespace SiemAi.Testing;

/// <summary>How <see cref="PrivatePostgresCluster"/> goes down (pg_ctl's <c>-m</c>).</summary>
public enum PostgresShutdown
{
    /// <summary>Open transactions are rolled back, sessions disconnected, a checkpoint is written: an operator's restart.</summary>
    Fast,

    /// <summary>Every process quits at once, no checkpoint; the next start runs crash recovery, as after a power cut of the server.</summary>
    Immediate,
}
