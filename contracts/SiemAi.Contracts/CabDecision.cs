namespace SiemAi.Contracts;

public enum CabDecision
{
    Approved = 0,
    Rejected = 1,
}
