using System.Text;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// The spellings the generic format understands for each normalized field. A producer's property path is
/// compared after <see cref="Canonical"/> (lower case, without <c>_ - . @</c> and spaces), so <c>rule_id</c>,
/// <c>ruleId</c>, <c>rule-id</c>, <c>RuleID</c> and a nested <c>{"rule":{"id":..}}</c> are one spelling.
/// The lists are kept narrow on purpose: two spellings of one field with different values are refused as
/// ambiguous, so words that commonly travel together with different meanings (title and summary, host and
/// device, process name and path) are not made synonyms. docs/ingestion.md prints this table; change both.
/// </summary>
public static class FieldSpellings
{
    public const string AlertId = "alertId";
    public const string ObservedAt = "observedAt";
    public const string SourceSystem = "sourceSystem";
    public const string Title = "title";
    public const string Severity = "severity";
    public const string RuleId = "ruleId";
    public const string RuleName = "ruleName";
    public const string Description = "description";
    public const string Asset = "asset";
    public const string AssetGroups = "assetGroups";
    public const string User = "user";
    public const string SourceIp = "sourceIp";
    public const string DestinationIp = "destinationIp";
    public const string DestinationPort = "destinationPort";
    public const string Process = "process";
    public const string FilePath = "filePath";
    public const string FileHash = "fileHash";
    public const string Category = "category";
    public const string MitreTechniques = "mitreTechniques";

    /// <summary>Normalized field → the spellings read for it in the liberal generic format (first = the strict schema's name).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Liberal = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AlertId] = ["alertId", "alert_uuid", "alert_guid"],
        [ObservedAt] = ["timestamp", "time", "ts", "event_time", "event_timestamp", "observed_at", "occurred_at", "detected_at", "date_time"],
        [SourceSystem] = ["source", "source_system", "siem", "producer"],
        [Title] = ["title", "alert_title", "alert_name"],
        [Severity] = ["severity", "sev", "alert_severity"],
        [RuleId] = ["ruleId", "rule.id", "signature_id", "sig_id", "detection_id", "detection_rule_id"],
        [RuleName] = ["ruleName", "rule", "rule.name", "signature", "signature_name", "detection_name"],
        [Description] = ["description", "desc", "alert_description"],
        [Asset] = ["host", "hostname", "host.name", "asset", "asset_name", "computer", "computer_name", "machine", "machine_name"],
        [AssetGroups] = ["hostGroups", "asset_groups"],
        [User] = ["user", "user_name", "user.name", "username", "account", "account_name"],
        [SourceIp] = ["sourceIp", "source.ip", "src_ip", "src.ip", "source_address", "src_address", "src_addr", "client_ip", "remote_ip", "attacker_ip"],
        [DestinationIp] = ["destinationIp", "destination.ip", "dst_ip", "dest_ip", "destination_address", "dst_address", "dest_address", "dst_addr", "target_ip"],
        [DestinationPort] = ["destinationPort", "destination.port", "dst_port", "dest_port", "dport", "target_port"],
        [Process] = ["process", "process_name", "process.name", "image"],
        [FilePath] = ["filePath", "file", "file.path", "file_full_path"],
        [FileHash] = ["fileHash", "hash", "sha256", "file_sha256", "file.hash.sha256"],
        [Category] = ["category", "cat", "alert_category"],
        [MitreTechniques] =
        [
            "mitreTechniques", "mitre", "mitre_technique", "mitre_technique_id", "mitre_technique_ids", "mitre_attack",
            "techniques", "technique", "technique_id", "technique_ids", "attack_techniques", "threat.technique.id",
        ],
    };

    /// <summary>The strict schema (docs/schemas/generic-alert.schema.json): exactly these names, nothing else.</summary>
    public static readonly IReadOnlyDictionary<string, string> Strict = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alertId"] = AlertId, ["timestamp"] = ObservedAt, ["source"] = SourceSystem, ["title"] = Title, ["severity"] = Severity,
        ["ruleId"] = RuleId, ["ruleName"] = RuleName, ["description"] = Description, ["host"] = Asset, ["hostGroups"] = AssetGroups,
        ["user"] = User, ["sourceIp"] = SourceIp, ["destinationIp"] = DestinationIp, ["destinationPort"] = DestinationPort,
        ["process"] = Process, ["filePath"] = FilePath, ["fileHash"] = FileHash, ["category"] = Category, ["mitreTechniques"] = MitreTechniques,
    };

    private static readonly Dictionary<string, string> ByCanonical = BuildIndex();

    /// <summary>Every normalized field a spelling or a configured mapping can fill.</summary>
    public static IEnumerable<string> Targets => Liberal.Keys;

    /// <summary>Lower case without separators: the form spellings are compared in.</summary>
    public static string Canonical(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var ch in name)
        {
            if (ch is not ('_' or '-' or '.' or '@' or ' '))
            {
                text.Append(char.ToLowerInvariant(ch));
            }
        }

        return text.ToString();
    }

    /// <summary>The normalized field a property path (dotted, as flattened) spells, or null.</summary>
    public static string? TargetOf(string path) => ByCanonical.GetValueOrDefault(Canonical(path));

    /// <summary>The field a mapping names: a normalized field, or any of its spellings (<c>host</c> → asset).</summary>
    public static string? MappingTarget(string name) =>
        Liberal.ContainsKey(name) ? name : Liberal.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? TargetOf(name);

    private static Dictionary<string, string> BuildIndex()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (target, spellings) in Liberal)
        {
            foreach (var spelling in spellings.Append(target))
            {
                var key = Canonical(spelling);
                if (index.TryGetValue(key, out var other) && other != target)
                {
                    throw new InvalidOperationException($"Spelling '{spelling}' is given to both {other} and {target}.");
                }

                index[key] = target;
            }
        }

        return index;
    }
}
