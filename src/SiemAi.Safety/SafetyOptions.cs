using SiemAi.Contracts;

namespace SiemAi.Safety;

/// <summary>Settings of the safety gate, bound from the configuration section <c>Safety</c>.</summary>
public sealed class SafetyOptions
{
    public const string SectionName = "Safety";

    /// <summary>
    /// Allowed modules by short name (<c>file</c>) or fully qualified name outside the builtin,
    /// posix and community.general collections. Anything not listed is blocked.
    /// Configuration adds modules or changes their limits key by key.
    /// </summary>
    public IDictionary<string, ModulePolicy> Modules { get; set; } = DefaultModules();

    /// <summary>Hosts that URLs in a playbook (downloads, API calls, repositories) may reach; empty = no egress at all.</summary>
    public IList<string> AllowedEgressHosts { get; set; } = [];

    /// <summary>
    /// Variables the runner's inventory provides (group_vars, vaulted secrets such as an EDR token) that templates may read.
    /// Jinja may only read declared names: the play's own vars, registered results, loop variables, facts and these.
    /// </summary>
    public IList<string> InventoryVariables { get; set; } = [];

    /// <summary>Environment variables a task or play may set (literal values only); anything else is refused.</summary>
    public IList<string> AllowedEnvironment { get; set; } = ["LANG", "LC_ALL", "LC_MESSAGES", "TZ"];

    /// <summary>
    /// Commands a <c>command</c> task may run, as argv patterns: words separated by spaces, where <c>*</c> stands for one
    /// plain word (no shell metacharacters, no template) and <c>{path}</c> for one absolute path that is neither a system
    /// tree, evidence nor a credential file. The shipped profile declares none: no template in the library needs a command.
    /// </summary>
    public IList<string> AllowedCommands { get; set; } = [];

    /// <summary>
    /// Widening for operators: let literal command/shell lines outside <see cref="AllowedCommands"/> through as a warning
    /// with risk Critical (so the CAB must agree). Templated and destructive commands still block. Off by default.
    /// </summary>
    public bool AllowLiteralShellCommands { get; set; }

    /// <summary>Accounts no playbook may lock, remove or change (root, admin and service accounts).</summary>
    public IList<string> ProtectedAccounts { get; set; } = ["root"];

    /// <summary>Services (besides the built-in list of security agents and access services) no playbook may stop, disable or mask.</summary>
    public IList<string> ProtectedServices { get; set; } = [];

    /// <summary>CIDR blocks no firewall rule may cover (management, SIEM, approvers, the controller); empty by default.</summary>
    public IList<string> ProtectedNetworks { get; set; } = [];

    /// <summary>Ports a rule may not drop for every source.</summary>
    public IList<int> ManagementPorts { get; set; } = [22];

    /// <summary>The broadest IPv4 block a firewall rule may drop (32 = a single host).</summary>
    public int MaxBlockPrefixV4 { get; set; } = 32;

    /// <summary>The broadest IPv6 block a firewall rule may drop (128 = a single host).</summary>
    public int MaxBlockPrefixV6 { get; set; } = 128;

    /// <summary>
    /// The runner's inventory (the same file as Runner:InventoryPath). When set, every play target is resolved against it
    /// (<c>ansible-inventory --list</c>, cleared environment, cached): each must be one inventory host, never a group or
    /// pattern, never the controller (localhost, a local connection, one of this machine's addresses).
    /// </summary>
    public string? InventoryPath { get; set; }

    /// <summary>Inventory hosts that may be local because they are the lab (e.g. <c>lab-target</c>); empty in production.</summary>
    public IList<string> LabLocalHosts { get; set; } = [];

    /// <summary>The ansible-playbook program used for the syntax-check second opinion.</summary>
    public string AnsiblePlaybookPath { get; set; } = "ansible-playbook";

    /// <summary>Ask ansible-playbook --syntax-check for a second opinion; null = on when the program is found.</summary>
    public bool? SyntaxCheck { get; set; }

    public TimeSpan SyntaxCheckTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most tasks (handlers and nested block tasks included) one playbook may hold.</summary>
    public int MaxTasks { get; set; } = 100;

    /// <summary>Most YAML nodes after expanding aliases; beyond it the text is an alias bomb, not a playbook.</summary>
    public int MaxNodes { get; set; } = 20_000;

    /// <summary>The modules a SOC remediation needs, each with the least risk it carries.</summary>
    public static Dictionary<string, ModulePolicy> DefaultModules()
    {
        static ModulePolicy P(RiskLevel risk, params string[] states) => new() { Risk = risk, AllowedStates = [.. states] };
        return new Dictionary<string, ModulePolicy>(StringComparer.Ordinal)
        {
            // read-only or bookkeeping
            ["debug"] = P(RiskLevel.Low),
            ["assert"] = P(RiskLevel.Low),
            ["fail"] = P(RiskLevel.Low),
            ["meta"] = P(RiskLevel.Low),
            ["set_fact"] = P(RiskLevel.Low),
            ["stat"] = P(RiskLevel.Low),
            ["find"] = P(RiskLevel.Low),
            ["slurp"] = P(RiskLevel.Low),
            ["setup"] = P(RiskLevel.Low),
            ["package_facts"] = P(RiskLevel.Low),
            ["service_facts"] = P(RiskLevel.Low),
            ["getent"] = P(RiskLevel.Low),
            ["listen_ports_facts"] = P(RiskLevel.Low),
            ["wait_for"] = P(RiskLevel.Low),
            // file changes
            ["file"] = P(RiskLevel.Medium, "file", "directory", "absent", "touch"),
            ["copy"] = P(RiskLevel.Medium),
            ["lineinfile"] = P(RiskLevel.Medium, "present", "absent"),
            ["blockinfile"] = P(RiskLevel.Medium, "present", "absent"),
            ["replace"] = P(RiskLevel.Medium),
            ["get_url"] = P(RiskLevel.Medium),
            ["uri"] = P(RiskLevel.Medium),
            // containment
            ["iptables"] = P(RiskLevel.Medium, "present", "absent"),
            ["ufw"] = P(RiskLevel.Medium, "enabled", "reloaded"),
            ["firewalld"] = P(RiskLevel.Medium, "enabled", "disabled", "present", "absent"),
            ["user"] = P(RiskLevel.High, "present"),
            ["authorized_key"] = P(RiskLevel.High, "present", "absent"),
            ["service"] = P(RiskLevel.High, "started", "stopped", "restarted", "reloaded"),
            ["systemd"] = P(RiskLevel.High, "started", "stopped", "restarted", "reloaded"),
            ["systemd_service"] = P(RiskLevel.High, "started", "stopped", "restarted", "reloaded"),
            ["package"] = P(RiskLevel.High, "present", "latest", "absent"),
            ["apt"] = P(RiskLevel.High, "present", "latest", "absent"),
            ["dnf"] = P(RiskLevel.High, "present", "latest", "absent"),
            ["yum"] = P(RiskLevel.High, "present", "latest", "absent"),
            ["sysctl"] = P(RiskLevel.High, "present"),
            ["cron"] = P(RiskLevel.Medium, "present", "absent"),
            ["mount"] = P(RiskLevel.High, "remounted"),
            ["selinux"] = P(RiskLevel.High),
        };
    }

    /// <summary>Looks up the policy for a normalised module name, honouring <see cref="ModulePolicy.Enabled"/>.</summary>
    public ModulePolicy? PolicyFor(string module) =>
        Modules.TryGetValue(module, out var policy) && policy.Enabled ? policy : null;
}
