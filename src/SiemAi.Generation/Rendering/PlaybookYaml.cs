using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation.Rendering;

/// <summary>
/// The one way SiemAi turns a YAML object graph into playbook text, and text into a graph.
/// Emission walks the graph and writes parser events, so a value can never break out of its scalar:
/// quoting and escaping are the emitter's job, not string concatenation.
/// </summary>
public static class PlaybookYaml
{
    /// <summary>Ansible's tag for "data, never template": the value is not evaluated by Jinja.</summary>
    public const string UnsafeTag = "!unsafe";

    private const int MaxDepth = 64;

    // An alias-expansion bomb must not turn a short answer into gigabytes.
    private const int MaxNodes = 20_000;

    /// <summary>A scalar Ansible treats as a literal string whatever it contains.</summary>
    public static YamlScalarNode Literal(string value) =>
        new(value) { Tag = new TagName(UnsafeTag), Style = ScalarStyle.DoubleQuoted };

    public static YamlScalarNode Plain(string value) => new(value) { Style = ScalarStyle.Plain };

    public static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    public static bool IsLiteral(YamlScalarNode node) => !node.Tag.IsEmpty && node.Tag.Value == UnsafeTag;

    /// <summary>Parses exactly one YAML document; throws <see cref="YamlException"/> (or <see cref="ArgumentException"/> on duplicate keys) on bad input.</summary>
    public static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        if (stream.Documents.Count != 1)
        {
            throw new YamlException($"expected exactly one YAML document, found {stream.Documents.Count}");
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>Writes the graph as one document beginning with <c>---</c>, two-space indentation, LF line ends.</summary>
    public static string Emit(YamlNode root)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings(2, 160, false, 1024, skipAnchorName: true, indentSequences: true, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, false));
        var count = 0;
        EmitNode(emitter, root, 0, ref count);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>A deep copy, so a template's cached graph is never shared with (or altered through) a rendering.</summary>
    public static YamlNode Clone(YamlNode node, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException("YAML nested too deeply");
        }

        switch (node)
        {
            case YamlScalarNode s:
                return new YamlScalarNode(s.Value) { Tag = s.Tag, Style = s.Style };
            case YamlSequenceNode seq:
                var copy = new YamlSequenceNode { Tag = seq.Tag, Style = seq.Style };
                foreach (var child in seq.Children)
                {
                    copy.Add(Clone(child, depth + 1));
                }

                return copy;
            case YamlMappingNode map:
                var mapCopy = new YamlMappingNode { Tag = map.Tag, Style = map.Style };
                foreach (var (key, value) in map.Children)
                {
                    mapCopy.Add(Clone(key, depth + 1), Clone(value, depth + 1));
                }

                return mapCopy;
            default:
                throw new YamlException($"unsupported YAML node {node.NodeType}");
        }
    }

    /// <summary>Every scalar in the graph, with its path (for checks such as "no alert text outside a literal").</summary>
    public static IEnumerable<YamlScalarNode> Scalars(YamlNode node)
    {
        var stack = new Stack<YamlNode>();
        stack.Push(node);
        var seen = 0;
        while (stack.Count > 0)
        {
            if (++seen > MaxNodes)
            {
                throw new YamlException("YAML has too many nodes");
            }

            switch (stack.Pop())
            {
                case YamlScalarNode s:
                    yield return s;
                    break;
                case YamlSequenceNode seq:
                    foreach (var child in seq.Children)
                    {
                        stack.Push(child);
                    }

                    break;
                case YamlMappingNode map:
                    foreach (var (key, value) in map.Children)
                    {
                        stack.Push(key);
                        stack.Push(value);
                    }

                    break;
            }
        }
    }

    private static void EmitNode(IEmitter emitter, YamlNode node, int depth, ref int count)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException("YAML nested too deeply");
        }

        if (++count > MaxNodes)
        {
            throw new YamlException("YAML has too many nodes");
        }

        var tagged = !node.Tag.IsEmpty && !node.Tag.IsNonSpecific;
        var tag = tagged ? node.Tag : TagName.Empty;
        switch (node)
        {
            case YamlScalarNode s:
                var style = s.Style == ScalarStyle.Any ? ScalarStyle.Plain : s.Style;
                var text = s.Value ?? string.Empty;
                if (text.Length == 0 && style == ScalarStyle.Plain && !tagged)
                {
                    // "key:" means null in YAML; say so rather than let the emitter turn it into ''.
                    text = "null";
                }

                emitter.Emit(new Scalar(AnchorName.Empty, tag, text, style, !tagged, !tagged));
                break;
            case YamlSequenceNode seq:
                emitter.Emit(new SequenceStart(AnchorName.Empty, tag, !tagged, seq.Children.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var child in seq.Children)
                {
                    EmitNode(emitter, child, depth + 1, ref count);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case YamlMappingNode map:
                emitter.Emit(new MappingStart(AnchorName.Empty, tag, !tagged, map.Children.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map.Children)
                {
                    EmitNode(emitter, key, depth + 1, ref count);
                    EmitNode(emitter, value, depth + 1, ref count);
                }

                emitter.Emit(new MappingEnd());
                break;
            default:
                throw new YamlException($"unsupported YAML node {node.NodeType}");
        }
    }
}
