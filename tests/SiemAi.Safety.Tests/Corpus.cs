namespace SiemAi.Safety.Tests;

/// <summary>
/// The playbook corpus next to the tests. Dangerous files are named <c>&lt;expected-rule&gt;__&lt;what-it-does&gt;.yml</c>;
/// benign files are realistic SOC remediations that must never block.
/// </summary>
public static class Corpus
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>Hosts the dangerous corpus is checked against, as an alert for web01 would give them.</summary>
    public static readonly string[] AlertHosts = ["web01", "db01"];

    public static SafetyOptions Options() => new()
    {
        AllowedEgressHosts = ["edr.soc.example", "packages.soc.example"],
        SyntaxCheck = false,
        InventoryVariables = ["edr_api_token"],
        // The commands the corpus's benign and near-miss playbooks need, declared as a template library would.
        AllowedCommands = ["ss -tnp", "ss -tnp state established", "iptables -L INPUT -n --line-numbers", "rm -rf {path}"],
    };

    public static IEnumerable<string> Files(string kind) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Directory, kind), "*.yml").Order(StringComparer.Ordinal);

    public static string ExpectedRule(string file) => Path.GetFileName(file).Split("__")[0];

    public static TheoryData<string> Dangerous() => [.. Files("dangerous").Select(f => Path.GetFileName(f))];

    public static TheoryData<string> Benign() => [.. Files("benign").Select(f => Path.GetFileName(f))];
}
