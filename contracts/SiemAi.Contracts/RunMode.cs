namespace SiemAi.Contracts;

public enum RunMode
{
    /// <summary><c>ansible-playbook --check --diff</c>: reports, changes nothing.</summary>
    Check = 0,
    /// <summary>A real run, only after a successful check run was approved again and when the runner allows it.</summary>
    Apply = 1,
}
