using SiemAi.Contracts;

namespace SiemAi.Safety;

/// <summary>What one allowed Ansible module may do in a generated playbook.</summary>
public sealed class ModulePolicy
{
    /// <summary>False removes a module that the defaults allow.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The least risk a task with this module carries.</summary>
    public RiskLevel Risk { get; set; } = RiskLevel.Medium;

    /// <summary>Values the module's <c>state</c> argument may take; empty = any.</summary>
    public IList<string> AllowedStates { get; set; } = [];

    /// <summary>Most loop items one task with this module may iterate over (a broad sweep is a different change than a fix).</summary>
    public int MaxLoopItems { get; set; } = 50;
}
