namespace SiemAi.Safety;

/// <summary>Rule ids the gate reports; stable names that reviewers, audit queries and tests use.</summary>
public static class SafetyRules
{
    // The text itself
    public const string YamlInvalid = "yaml-invalid";
    public const string MultipleDocuments = "yaml-multiple-documents";
    public const string DuplicateKey = "yaml-duplicate-key";
    public const string UnknownTag = "yaml-unknown-tag";
    public const string ComplexKey = "yaml-complex-key";
    public const string AliasBomb = "yaml-alias-bomb";
    public const string YamlAnchor = "yaml-anchor";
    public const string YamlMergeKey = "yaml-merge-key";
    public const string VaultEncrypted = "vault-encrypted";
    public const string PlaybookShape = "playbook-shape";
    public const string PlaybookTooLarge = "playbook-too-large";
    public const string SyntaxCheckFailed = "syntax-check-failed";
    public const string SyntaxCheckUnavailable = "syntax-check-unavailable";
    public const string HashMismatch = "hash-mismatch";

    // What runs and where
    public const string ExternalContent = "external-content";
    public const string ModuleNotAllowed = "module-not-allowed";
    public const string ArbitraryCommand = "arbitrary-command";
    public const string DestructiveCommand = "destructive-command";
    public const string ShellCommand = "shell-command";
    public const string ModuleLimit = "module-limit";
    public const string ModuleDefaults = "module-defaults";
    public const string HostsTooBroad = "hosts-too-broad";
    public const string HostsNotAllowed = "hosts-not-allowed";
    public const string ControllerExecution = "controller-execution";
    public const string CheckModeDisabled = "check-mode-disabled";
    public const string InteractivePrompt = "interactive-prompt";
    public const string EnvironmentInjection = "environment-injection";
    public const string UnsafeTemplate = "unsafe-template";
    public const string UnresolvedValue = "unresolved-value";
    public const string KeywordNotAllowed = "keyword-not-allowed";
    public const string ArgumentSplatting = "argument-splatting";
    public const string ArgumentNotAllowed = "argument-not-allowed";

    // What it changes
    public const string DestructivePath = "destructive-path";
    public const string SensitiveFileWrite = "sensitive-file-write";
    public const string InsecurePermissions = "insecure-permissions";
    public const string AccountDeletion = "account-deletion";
    public const string Persistence = "persistence";
    public const string SecurityControlDisabled = "security-control-disabled";
    public const string CriticalServiceStop = "critical-service-stop";
    public const string CriticalPackageRemoval = "critical-package-removal";
    public const string EgressNotAllowed = "egress-not-allowed";
    public const string VerificationDisabled = "verification-disabled";
    public const string PrivilegeGrant = "privilege-grant";
    public const string ConnectionOverride = "connection-override";
    public const string PlaintextSecret = "plaintext-secret";
    public const string OperatorLockout = "operator-lockout";

    // Worth a reviewer's look, not a block
    public const string IgnoresErrors = "ignores-errors";
    public const string NoLog = "no-log";
}
