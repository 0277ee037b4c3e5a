namespace SiemAi.Cli;

/// <summary>Exit codes every command keeps: 0 fine, 1 a finding (tampering, ...), 2 usage or I/O, 3 blocked.</summary>
public static class CliExit
{
    public const int Ok = 0;
    public const int Finding = 1;
    public const int Usage = 2;
    public const int Blocked = 3;
}
