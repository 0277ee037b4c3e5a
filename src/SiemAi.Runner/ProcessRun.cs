namespace SiemAi.Runner;

/// <summary>What one ansible-playbook process did: exit code (null when killed), capped output, timing.</summary>
internal sealed record ProcessRun(
    int? ExitCode,
    byte[] Stdout,
    bool StdoutTruncated,
    byte[] Stderr,
    bool StderrTruncated,
    bool TimedOut,
    int LeftoversKilled,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt);
