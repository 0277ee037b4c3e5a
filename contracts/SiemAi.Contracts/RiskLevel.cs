namespace SiemAi.Contracts;

/// <summary>How much damage a playbook could do if it were wrong; High and Critical need a CAB decision.</summary>
public enum RiskLevel
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}
