namespace SiemAi.Contracts;

public enum SafetyVerdict
{
    Pass = 0,
    Warn = 1,
    Block = 2,
}
