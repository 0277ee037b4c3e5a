namespace SiemAi.Sandbox;

/// <summary>What a sandboxed program did: exit code (null when killed at the deadline) and its capped output.</summary>
public sealed record SandboxResult(int? ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed);
