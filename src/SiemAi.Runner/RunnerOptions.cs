namespace SiemAi.Runner;

/// <summary>
/// Settings of the Ansible runner (configuration section <c>Runner</c>; the <c>RUNNER_*</c> environment
/// variables listed in docs/runner.md override them). Relative paths are resolved against the host's content root.
/// </summary>
public sealed class RunnerOptions
{
    public const string Section = "Runner";

    /// <summary>The operator's inventory (a file, or a directory with group_vars/host_vars); copied into each run's directory.</summary>
    public string InventoryPath { get; set; } = "playbooks/inventories/lab.ini";

    /// <summary>
    /// The inventory is the lab (this machine through a local connection): host key checking is turned off.
    /// Everywhere else it stays on, so a run never trusts an unknown SSH host key.
    /// </summary>
    public bool Lab { get; set; }

    /// <summary>Off by default: Apply runs (no <c>--check</c>) are refused unless this is on and the real run was approved.</summary>
    public bool AllowApply { get; set; }

    /// <summary>The program to start; a bare name is looked up on <see cref="SearchPath"/>.</summary>
    public string AnsiblePlaybook { get; set; } = "ansible-playbook";

    /// <summary>The only PATH the run sees (nothing is inherited from the service's own environment).</summary>
    public string SearchPath { get; set; } = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public string Language { get; set; } = "C.UTF-8";

    /// <summary>Where each run's fresh directory is created (the system temp directory when empty).</summary>
    public string? WorkRoot { get; set; }

    /// <summary>Full ansible output, stored by its SHA-256.</summary>
    public string OutputArchivePath { get; set; } = "var/runner/output";

    /// <summary>Approved playbooks by content hash, with a JSON sidecar (incident, verdict, approvers).</summary>
    public string LibraryPath { get; set; } = "playbooks/_library";

    /// <summary>Wall-clock limit of one ansible-playbook run; the whole process tree is killed when it passes.</summary>
    public double TimeoutSeconds { get; set; } = 600;

    /// <summary>Runs allowed at the same time in this process.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Stdout beyond this is discarded (the run then fails: its JSON report is incomplete).</summary>
    public int MaxStdoutBytes { get; set; } = 32 * 1024 * 1024;

    public int MaxStderrBytes { get; set; } = 1024 * 1024;

    /// <summary>Each before/after text of a diff in the reported results is cut to this many characters.</summary>
    public int MaxDiffChars { get; set; } = 16 * 1024;

    /// <summary>The per-task result JSON carried on the bus is cut (whole tasks dropped) beyond this size.</summary>
    public int MaxResultJsonChars { get; set; } = 256 * 1024;

    /// <summary>Parallel hosts per run (<c>forks</c>).</summary>
    public int Forks { get; set; } = 5;

    /// <summary>
    /// Whether ansible-playbook's sandbox shares the host's network. Null (the default): shared unless
    /// <see cref="Lab"/> is on — SSH needs the network; the lab's local connection needs none, and then no
    /// address at all (the service's own ports included) is reachable from the run. See docs/sandbox.md.
    /// </summary>
    public bool? SandboxShareNetwork { get; set; }

    /// <summary>
    /// Host paths the run may read besides its own directory and the system directories: SSH private keys and
    /// known_hosts files the inventory names, a vault password file; in the lab, the files the playbooks target.
    /// Everything else of the host (service settings, secrets, other runs) is not there.
    /// </summary>
    public List<string> SandboxReadOnlyPaths { get; set; } = [];

    /// <summary>
    /// Host paths an approved Apply run may change on a local connection (the lab's targets). Check runs never get
    /// them: a check run cannot write anywhere on the controller but its own directory.
    /// </summary>
    public List<string> SandboxWritablePaths { get; set; } = [];

    /// <summary>The sandbox's network decision for these settings.</summary>
    public bool SharesNetwork => SandboxShareNetwork ?? !Lab;
}
