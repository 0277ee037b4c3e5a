namespace SiemAi.Contracts;

public enum FindingSeverity
{
    Info = 0,
    Warning = 1,
    Block = 2,
}
