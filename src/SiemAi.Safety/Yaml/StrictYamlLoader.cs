using SiemAi.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SiemAi.Safety.Yaml;

/// <summary>
/// Reads YAML the strict way the gate needs: one document, no duplicate keys, only core-schema tags
/// (plus Ansible's <c>!unsafe</c>), aliases and merge keys resolved so rules see what Ansible sees,
/// and a cap on nodes after alias expansion so an alias bomb cannot exhaust memory.
/// </summary>
internal sealed class StrictYamlLoader
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";
    private static readonly HashSet<string> CoreTags = ["str", "int", "float", "bool", "null", "map", "seq", "merge", "omap", "set", "timestamp", "binary"];

    private readonly List<SafetyFinding> _findings;
    private readonly long _maxNodes;
    private readonly Dictionary<string, (Node Node, long Size)> _anchors = new(StringComparer.Ordinal);
    private long _nodes;
    private IParser _parser = null!;

    private StrictYamlLoader(List<SafetyFinding> findings, int maxNodes)
    {
        _findings = findings;
        _maxNodes = maxNodes;
    }

    /// <summary>Returns the root node, or null when the text cannot be read safely (the reason is in findings).</summary>
    public static Node? Load(string yaml, int maxNodes, List<SafetyFinding> findings)
    {
        var loader = new StrictYamlLoader(findings, maxNodes);
        try
        {
            return loader.LoadStream(yaml);
        }
        catch (YamlException ex)
        {
            findings.Add(Finding(SafetyRules.YamlInvalid, "$", $"Not valid YAML: {ex.Message}", (int)ex.Start.Line));
            return null;
        }
        catch (AliasBombException ex)
        {
            findings.Add(Finding(SafetyRules.AliasBomb, "$",
                $"Alias expansion exceeds {maxNodes} nodes; the text is built to exhaust the parser, not to remediate.", ex.Line));
            return null;
        }
    }

    private Node? LoadStream(string yaml)
    {
        using var reader = new StringReader(yaml);
        _parser = new Parser(reader);
        _parser.Consume<StreamStart>();
        Node? root = null;
        var documents = 0;
        while (_parser.TryConsume<DocumentStart>(out var start))
        {
            documents++;
            if (documents > 1)
            {
                _findings.Add(Finding(SafetyRules.MultipleDocuments, "$",
                    "More than one YAML document; Ansible reads only one, so what a reviewer sees is not what runs.", LineOf(start)));
                return null;
            }
            _anchors.Clear();
            root = ReadNode();
            _parser.Consume<DocumentEnd>();
        }
        _parser.Consume<StreamEnd>();
        return root;
    }

    private Node ReadNode()
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw new YamlException(alias.Start, alias.End, $"Alias *{alias.Value.Value} refers to no anchor.");
            }
            Count(anchored.Size, alias);
            return anchored.Node;
        }

        var before = _nodes;
        var ev = _parser.Consume<NodeEvent>();
        Count(1, ev);
        var line = LineOf(ev);
        var isUnsafe = CheckTag(ev, line);
        Node node = ev switch
        {
            Scalar s => new ScalarNode(line, s.Value, s.Style == ScalarStyle.Plain && s.Tag.IsEmpty, isUnsafe),
            SequenceStart => ReadSequence(line),
            MappingStart => ReadMapping(line),
            _ => throw new YamlException(ev.Start, ev.End, $"Unexpected {ev.GetType().Name}."),
        };
        if (!ev.Anchor.IsEmpty)
        {
            _anchors[ev.Anchor.Value] = (node, _nodes - before);
        }
        return node;
    }

    private SequenceNode ReadSequence(int line)
    {
        var items = new List<Node>();
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode());
        }
        return new SequenceNode(line, items);
    }

    private MappingNode ReadMapping(int line)
    {
        var explicitEntries = new List<MappingEntry>();
        var merged = new List<MappingEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode();
            var value = ReadNode();
            if (keyNode is not ScalarNode key)
            {
                _findings.Add(Finding(SafetyRules.ComplexKey, "$", "A mapping key is itself a mapping or sequence; playbooks use plain keys.", keyNode.Line));
                continue;
            }
            if (key.Value == "<<" && key.Plain)
            {
                Merge(value, merged, key.Line);
                continue;
            }
            if (!seen.Add(key.Value))
            {
                _findings.Add(Finding(SafetyRules.DuplicateKey, "$",
                    $"Key '{key.Value}' appears twice in one mapping; YAML parsers disagree on which value wins.", key.Line));
                continue;
            }
            explicitEntries.Add(new MappingEntry(key.Value, key.Line, value));
        }
        // Explicit keys override merged ones, and earlier merge sources override later ones (YAML merge key spec).
        foreach (var entry in merged)
        {
            if (seen.Add(entry.Key))
            {
                explicitEntries.Add(entry);
            }
        }
        return new MappingNode(line, explicitEntries);
    }

    private void Merge(Node source, List<MappingEntry> merged, int line)
    {
        switch (source)
        {
            case MappingNode map:
                merged.AddRange(map.Entries);
                break;
            case SequenceNode seq when seq.Items.All(i => i is MappingNode):
                foreach (var item in seq.Items)
                {
                    merged.AddRange(((MappingNode)item).Entries);
                }
                break;
            default:
                _findings.Add(Finding(SafetyRules.PlaybookShape, "$", "A merge key (<<) must refer to a mapping or a list of mappings.", line));
                break;
        }
    }

    /// <summary>Returns true for Ansible's <c>!unsafe</c>; records a finding for any tag outside the core schema.</summary>
    private bool CheckTag(NodeEvent ev, int line)
    {
        if (ev.Tag.IsEmpty || ev.Tag.IsNonSpecific)
        {
            return false;
        }
        var tag = ev.Tag.Value;
        if (tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal) && CoreTags.Contains(tag[CoreTagPrefix.Length..]))
        {
            return false;
        }
        if (tag == "!unsafe" && ev is Scalar)
        {
            return true;
        }
        if (tag == "!vault")
        {
            _findings.Add(Finding(SafetyRules.VaultEncrypted, "$",
                "Vault-encrypted value: reviewers cannot read what would be approved.", line));
            return false;
        }
        _findings.Add(Finding(SafetyRules.UnknownTag, "$",
            $"Tag '{tag}' is outside the YAML core schema; only plain values (and !unsafe) are accepted.", line));
        return false;
    }

    private void Count(long size, ParsingEvent at)
    {
        _nodes += size;
        if (_nodes > _maxNodes)
        {
            throw new AliasBombException(LineOf(at));
        }
    }

    private static int LineOf(ParsingEvent ev) => (int)ev.Start.Line;

    internal static SafetyFinding Finding(string rule, string path, string message, int? line) =>
        new() { Rule = rule, Severity = FindingSeverity.Block, Path = path, Message = message, Line = line };

    private sealed class AliasBombException(int line) : Exception
    {
        public int Line { get; } = line;
    }
}
