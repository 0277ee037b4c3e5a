namespace SiemAi.Generation.Templates;

/// <summary>What a template parameter must look like; an alert value that does not fit is refused.</summary>
public enum ParameterType
{
    /// <summary>An IPv4 or IPv6 address (not loopback, not unspecified).</summary>
    Ip,
    /// <summary>An address block with a prefix no broader than /16 (IPv4) or /32 (IPv6).</summary>
    Cidr,
    /// <summary>A POSIX-style user name.</summary>
    User,
    /// <summary>An absolute path without <c>..</c>, control characters or template delimiters.</summary>
    Path,
    /// <summary>A systemd unit or service name.</summary>
    Unit,
    Port,
    Sha256,
    Domain,
    /// <summary>A distribution package name.</summary>
    Package,
    /// <summary>An OpenSSH public key line (type, base64 body, optional comment).</summary>
    SshPublicKey,
    /// <summary>Free text shown to operators (evidence); kept as a literal, capped in length.</summary>
    Text,
}
