namespace SiemAi.Incidents;

public static class TimerKinds
{
    public const string ApprovalExpiry = "approval_expiry";
    public const string GenerationTimeout = "generation_timeout";
    public const string VerificationTimeout = "verification_timeout";
    public const string RunTimeout = "run_timeout";
    public const string RetryGeneration = "retry_generation";
    public const string RetryRun = "retry_run";
}
