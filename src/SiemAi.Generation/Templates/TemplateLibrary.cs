using System.Text.RegularExpressions;
using SiemAi.Contracts;
using SiemAi.Generation.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SiemAi.Generation.Templates;

/// <summary>
/// The templates under <c>playbooks/templates</c>: one directory per scenario with <c>metadata.yml</c>
/// and <c>playbook.yml</c> (tasks and handlers). Loading also lints the play body against the house rules,
/// so a template that could never pass the safety gate fails at start, not at 3 a.m.
/// </summary>
public sealed partial class TemplateLibrary
{
    public const string EvidenceTemplateId = "evidence-collection";

    public static readonly IReadOnlyList<string> AllowedModulePrefixes = ["ansible.builtin.", "ansible.posix.", "community.general."];

    private static readonly HashSet<string> ForbiddenModules = new(StringComparer.Ordinal)
    {
        "ansible.builtin.shell", "ansible.builtin.command", "ansible.builtin.raw", "ansible.builtin.script", "ansible.builtin.expect",
        "ansible.builtin.fetch", "ansible.builtin.include_tasks", "ansible.builtin.import_tasks",
        "ansible.builtin.include_role", "ansible.builtin.import_role", "ansible.builtin.import_playbook",
    };

    private static readonly HashSet<string> ForbiddenKeywords = new(StringComparer.Ordinal)
    {
        "delegate_to", "local_action", "delegate_facts", "connection", "remote_user", "become_method",
        "become_exe", "become_flags", "environment", "hosts",
    };

    // Task keywords Ansible reserves; the remaining key of a task is its module.
    private static readonly HashSet<string> TaskKeywords = new(StringComparer.Ordinal)
    {
        "name", "when", "register", "become", "become_user", "notify", "listen", "loop", "loop_control",
        "with_items", "tags", "ignore_errors", "changed_when", "failed_when", "vars", "no_log", "check_mode",
        "diff", "until", "retries", "delay", "args", "timeout", "run_once", "block", "rescue", "always",
        "ignore_unreachable", "any_errors_fatal", "throttle",
    };

    private readonly Dictionary<string, PlaybookTemplate> _byId;

    private TemplateLibrary(string directory, List<PlaybookTemplate> templates)
    {
        Directory = directory;
        _byId = templates.ToDictionary(t => t.Id, StringComparer.Ordinal);
        Templates = templates.Where(t => !t.Metadata.IsEvidence).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        Evidence = templates.SingleOrDefault(t => t.Id == EvidenceTemplateId && t.Metadata.IsEvidence)
            ?? throw new TemplateLibraryException($"{directory}: the read-only '{EvidenceTemplateId}' template (kind: evidence) is missing");
    }

    public string Directory { get; }

    /// <summary>The remediation templates (the evidence template excluded).</summary>
    public IReadOnlyList<PlaybookTemplate> Templates { get; }

    public PlaybookTemplate Evidence { get; }

    public PlaybookTemplate? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The directory given, or <c>playbooks/templates</c> found from <paramref name="startDirectory"/> upward.</summary>
    public static string ResolveDirectory(string? configured, string startDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "playbooks", "templates");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new TemplateLibraryException($"no playbooks/templates directory found from '{startDirectory}' upward; set Generation:TemplatesPath");
    }

    public static TemplateLibrary Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new TemplateLibraryException($"template directory '{directory}' does not exist");
        }

        var templates = new List<PlaybookTemplate>();
        foreach (var dir in System.IO.Directory.GetDirectories(directory).OrderBy(d => d, StringComparer.Ordinal))
        {
            var metadataPath = Path.Combine(dir, "metadata.yml");
            var playbookPath = Path.Combine(dir, "playbook.yml");
            if (!File.Exists(metadataPath) || !File.Exists(playbookPath))
            {
                throw new TemplateLibraryException($"{dir}: a template needs metadata.yml and playbook.yml");
            }

            templates.Add(LoadOne(dir, metadataPath, playbookPath));
        }

        var duplicate = templates.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new TemplateLibraryException($"{directory}: template id '{duplicate.Key}' is used twice");
        }

        return new TemplateLibrary(directory, templates);
    }

    private static PlaybookTemplate LoadOne(string dir, string metadataPath, string playbookPath)
    {
        TemplateMetadata metadata;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
            var doc = deserializer.Deserialize<MetadataDocument>(File.ReadAllText(metadataPath))
                ?? throw new TemplateLibraryException($"{metadataPath}: empty");
            metadata = ToMetadata(doc, metadataPath);
        }
        catch (YamlException ex)
        {
            throw new TemplateLibraryException($"{metadataPath}: {ex.Message}", ex);
        }

        if (!string.Equals(Path.GetFileName(dir), metadata.Id, StringComparison.Ordinal))
        {
            throw new TemplateLibraryException($"{metadataPath}: id '{metadata.Id}' must equal the directory name");
        }

        YamlNode body;
        try
        {
            body = PlaybookYaml.Parse(File.ReadAllText(playbookPath));
        }
        catch (Exception ex) when (ex is YamlException or ArgumentException)
        {
            throw new TemplateLibraryException($"{playbookPath}: {ex.Message}", ex);
        }

        if (body is not YamlMappingNode map)
        {
            throw new TemplateLibraryException($"{playbookPath}: expected a mapping with tasks (and optionally handlers, gather_facts)");
        }

        YamlSequenceNode? tasks = null;
        YamlSequenceNode? handlers = null;
        var gatherFacts = false;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            switch (key)
            {
                case "tasks" when value is YamlSequenceNode seq:
                    tasks = seq;
                    break;
                case "handlers" when value is YamlSequenceNode seq:
                    handlers = seq;
                    break;
                case "gather_facts" when value is YamlScalarNode s && s.Value is "true" or "false":
                    gatherFacts = ((YamlScalarNode)value).Value == "true";
                    break;
                default:
                    throw new TemplateLibraryException($"{playbookPath}: unexpected key '{key}' (allowed: tasks, handlers, gather_facts)");
            }
        }

        if (tasks is null || tasks.Children.Count == 0)
        {
            throw new TemplateLibraryException($"{playbookPath}: no tasks");
        }

        Lint(tasks, playbookPath, "tasks", metadata.IsEvidence);
        if (handlers is not null)
        {
            Lint(handlers, playbookPath, "handlers", metadata.IsEvidence);
        }

        return new PlaybookTemplate(metadata, tasks, handlers, gatherFacts, dir);
    }

    private static void Lint(YamlSequenceNode tasks, string file, string path, bool readOnly)
    {
        for (var i = 0; i < tasks.Children.Count; i++)
        {
            var where = $"{file}: {path}[{i}]";
            if (tasks.Children[i] is not YamlMappingNode task)
            {
                throw new TemplateLibraryException($"{where}: a task must be a mapping");
            }

            var keys = task.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToList();
            if (!keys.Contains("name"))
            {
                throw new TemplateLibraryException($"{where}: every task needs a name");
            }

            foreach (var key in keys)
            {
                if (ForbiddenKeywords.Contains(key))
                {
                    throw new TemplateLibraryException($"{where}: '{key}' is not allowed in a template");
                }
            }

            if (task.Children.TryGetValue(new YamlScalarNode("check_mode"), out var checkMode) && checkMode is YamlScalarNode cm && cm.Value is "false" or "no")
            {
                throw new TemplateLibraryException($"{where}: check_mode: false would act during a dry run");
            }

            foreach (var blockKey in new[] { "block", "rescue", "always" })
            {
                if (task.Children.TryGetValue(new YamlScalarNode(blockKey), out var inner))
                {
                    Lint(inner as YamlSequenceNode ?? throw new TemplateLibraryException($"{where}: {blockKey} must be a list"), file, $"{path}[{i}].{blockKey}", readOnly);
                }
            }

            var modules = keys.Where(k => !TaskKeywords.Contains(k)).ToList();
            if (keys.Contains("block"))
            {
                if (modules.Count != 0)
                {
                    throw new TemplateLibraryException($"{where}: a block cannot also call {modules[0]}");
                }

                continue;
            }

            if (modules.Count != 1)
            {
                throw new TemplateLibraryException($"{where}: expected exactly one module, found [{string.Join(", ", modules)}]");
            }

            var module = modules[0];
            if (!AllowedModulePrefixes.Any(p => module.StartsWith(p, StringComparison.Ordinal)) || !ModuleNameRegex().IsMatch(module))
            {
                throw new TemplateLibraryException($"{where}: module '{module}' is not from ansible.builtin, ansible.posix or community.general (use the FQCN)");
            }

            if (ForbiddenModules.Contains(module))
            {
                throw new TemplateLibraryException($"{where}: module '{module}' is not allowed in a template");
            }

            if (readOnly && !ReadOnlyModules.Contains(module))
            {
                throw new TemplateLibraryException($"{where}: the evidence template must stay read-only; '{module}' can change a host");
            }
        }
    }

    /// <summary>Modules that only read (the evidence playbook may use nothing else).</summary>
    public static readonly IReadOnlySet<string> ReadOnlyModules = new HashSet<string>(StringComparer.Ordinal)
    {
        "ansible.builtin.debug", "ansible.builtin.stat", "ansible.builtin.find", "ansible.builtin.getent",
        "ansible.builtin.setup", "ansible.builtin.service_facts", "ansible.builtin.package_facts",
        "ansible.builtin.slurp", "community.general.listen_ports_facts", "ansible.builtin.set_fact",
    };

    private static TemplateMetadata ToMetadata(MetadataDocument doc, string file)
    {
        string Need(string? value, string field) =>
            string.IsNullOrWhiteSpace(value) ? throw new TemplateLibraryException($"{file}: '{field}' is required") : value.Trim();

        var id = Need(doc.Id, "id");
        if (!TemplateIdRegex().IsMatch(id))
        {
            throw new TemplateLibraryException($"{file}: id '{id}' must be lower-case letters, digits and dashes");
        }

        var kind = doc.Kind ?? "remediation";
        if (kind is not ("remediation" or "evidence"))
        {
            throw new TemplateLibraryException($"{file}: kind must be remediation or evidence");
        }

        if (!Enum.TryParse<RiskLevel>(Need(doc.Risk, "risk"), ignoreCase: true, out var risk))
        {
            throw new TemplateLibraryException($"{file}: risk must be low, medium, high or critical");
        }

        var parameters = new List<ParameterSpec>();
        foreach (var p in doc.Parameters ?? [])
        {
            var name = Need(p.Name, "parameters[].name");
            if (!ParameterNameRegex().IsMatch(name) || name.StartsWith("siemai_", StringComparison.Ordinal) || name.StartsWith("ansible_", StringComparison.Ordinal))
            {
                throw new TemplateLibraryException($"{file}: parameter name '{name}' must be snake_case and not start with siemai_ or ansible_");
            }

            if (!Enum.TryParse<ParameterType>(Need(p.Type, $"parameters[{name}].type").Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var type))
            {
                throw new TemplateLibraryException($"{file}: parameter '{name}' has unknown type '{p.Type}'");
            }

            if ((p.From is null || p.From.Count == 0) && p.Default is null)
            {
                throw new TemplateLibraryException($"{file}: parameter '{name}' needs 'from' or 'default'");
            }

            foreach (var source in p.From ?? [])
            {
                if (!AlertFields.IsKnownSource(source))
                {
                    throw new TemplateLibraryException($"{file}: parameter '{name}' has unknown source '{source}'");
                }
            }

            parameters.Add(new ParameterSpec
            {
                Name = name,
                Type = type,
                Sources = p.From ?? [],
                Required = p.Required,
                Default = p.Default,
                Forbidden = p.Forbidden ?? [],
                AllowedPrefixes = p.AllowedPrefixes ?? [],
                Description = p.Description,
            });
        }

        if (parameters.GroupBy(p => p.Name, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw new TemplateLibraryException($"{file}: a parameter name is used twice");
        }

        return new TemplateMetadata
        {
            Id = id,
            Version = Need(doc.Version, "version"),
            Title = Need(doc.Title, "title"),
            Description = doc.Description?.Trim(),
            Kind = kind,
            MitreTechniques = doc.Mitre ?? [],
            Match = new MatchCriteria
            {
                RuleIds = doc.Match?.RuleIds ?? [],
                Techniques = doc.Match?.Techniques ?? [],
                Categories = doc.Match?.Categories ?? [],
                Keywords = doc.Match?.Keywords ?? [],
            },
            Parameters = parameters,
            Risk = risk,
            Reversibility = Need(doc.Reversibility, "reversibility"),
        };
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex TemplateIdRegex();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex ParameterNameRegex();

    [GeneratedRegex(@"^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$")]
    private static partial Regex ModuleNameRegex();
}
