using SiemAi.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SiemAi.Safety.Yaml;

/// <summary>
/// Reads YAML the strict way the gate needs: one document, no duplicate keys, no explicit tag but Ansible's
/// <c>!unsafe</c>, no anchors, aliases or merge keys (each is a finding, but still resolved the way PyYAML does so
/// the other rules judge what Ansible would see), and a cap on nodes after alias expansion against alias bombs.
/// </summary>
internal sealed class StrictYamlLoader
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

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
            _findings.Add(Finding(SafetyRules.YamlAnchor, "$",
                $"Alias *{alias.Value.Value}: a generated playbook writes every value where it is used, so reviewers read it there.", LineOf(alias)));
            return anchored.Node;
        }

        var before = _nodes;
        var ev = _parser.Consume<NodeEvent>();
        Count(1, ev);
        var line = LineOf(ev);
        var isUnsafe = CheckTag(ev, line);
        Node node = ev switch
        {
            Scalar s => new ScalarNode(line, s.Value, s.Style == ScalarStyle.Plain && s.Tag.IsEmpty, isUnsafe, s.Tag.IsEmpty || s.Tag.IsNonSpecific ? null : s.Tag.Value),
            SequenceStart => ReadSequence(line),
            MappingStart => ReadMapping(line),
            _ => throw new YamlException(ev.Start, ev.End, $"Unexpected {ev.GetType().Name}."),
        };
        if (!ev.Anchor.IsEmpty)
        {
            _findings.Add(Finding(SafetyRules.YamlAnchor, "$",
                $"Anchor &{ev.Anchor.Value}: anchors and aliases let one value appear elsewhere than where reviewers read it.", line));
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
            // PyYAML merges a plain << and any key tagged !!merge (tag:yaml.org,2002:merge), whatever its text.
            if (key.Value == "<<" && key.Plain || key.Tag == CoreTagPrefix + "merge")
            {
                _findings.Add(Finding(SafetyRules.YamlMergeKey, "$",
                    "A merge key (<< or !!merge) pulls values in from elsewhere; every key must be written where it applies.", key.Line));
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

    /// <summary>Returns true for Ansible's <c>!unsafe</c>; records a finding for any other explicit tag, core-schema tags included.</summary>
    private bool CheckTag(NodeEvent ev, int line)
    {
        if (ev.Tag.IsEmpty || ev.Tag.IsNonSpecific)
        {
            return false;
        }
        var tag = ev.Tag.Value;
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
        var shown = tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal) ? "!!" + tag[CoreTagPrefix.Length..] : tag;
        _findings.Add(Finding(SafetyRules.UnknownTag, "$",
            $"Tag '{shown}': a generated playbook carries no explicit tags but !unsafe (a tag changes how Ansible reads the value).", line));
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
