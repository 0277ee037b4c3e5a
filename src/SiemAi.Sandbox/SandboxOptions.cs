namespace SiemAi.Sandbox;

/// <summary>
/// Settings of the bubblewrap sandbox (configuration section <c>Sandbox</c>, environment <c>Sandbox__*</c>) that
/// ansible-playbook runs in: the safety gate's syntax check and the runner's controller side. See docs/sandbox.md.
/// </summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>
    /// On by default, and then required: the service refuses to start when bwrap is missing or does not work.
    /// Off runs ansible-playbook without isolation (still with an empty environment): only for machines that
    /// cannot create namespaces, never where a generated playbook is checked.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The bwrap program (Debian package <c>bubblewrap</c>); a bare name is looked up on PATH.</summary>
    public string BwrapPath { get; set; } = "bwrap";

    /// <summary>
    /// Host directories shown read-only inside the sandbox, at the same path: the programs and libraries
    /// ansible needs and nothing else (no /root, /home, /var, /run, /srv, /opt, no service directories).
    /// A path that does not exist is skipped; a symbolic link (merged /usr) is recreated as a link.
    /// </summary>
    public List<string> SystemPaths { get; set; } = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>
    /// Paths inside <see cref="SystemPaths"/> replaced by an empty file or directory in the sandbox: credentials
    /// a root process could otherwise read. The last segment may hold a <c>*</c> pattern.
    /// </summary>
    public List<string> HiddenPaths { get; set; } =
    [
        "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/ssh/ssh_host_*_key",
        "/etc/ssl/private",
    ];

    /// <summary>How long the start-up probe (bwrap running /usr/bin/true) may take.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
