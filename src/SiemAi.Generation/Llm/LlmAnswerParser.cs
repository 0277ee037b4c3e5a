using System.Text.RegularExpressions;
using SiemAi.Contracts;
using SiemAi.Generation.Rendering;
using SiemAi.Generation.Templates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation.Llm;

/// <summary>
/// Finds the playbook in a model's answer (a fenced block, or the bare answer), checks it is a playbook,
/// and re-emits it through <see cref="PlaybookYaml"/> so every playbook SiemAi hands on has one canonical form.
/// Judging what the playbook does is the safety gate's job, not this parser's.
/// </summary>
public static partial class LlmAnswerParser
{
    public static string ToCanonicalPlaybook(string answer, NormalizedAlert alert)
    {
        var candidates = FenceRegex().Matches(answer).Select(m => m.Groups["body"].Value).ToList();
        candidates.Add(answer);
        string? firstProblem = null;
        foreach (var candidate in candidates)
        {
            try
            {
                var root = PlaybookYaml.Parse(candidate);
                CheckShape(root);
                QuoteAlertTemplates(root, alert);
                return PlaybookYaml.Emit(root);
            }
            catch (Exception ex) when (ex is YamlException or ArgumentException or LlmAnswerException)
            {
                firstProblem ??= ex is LlmAnswerException ? ex.Message : $"not valid YAML ({ex.GetType().Name})";
            }
        }

        throw new LlmAnswerException($"the model's answer holds no usable playbook: {firstProblem}");
    }

    private static void CheckShape(YamlNode root)
    {
        if (root is not YamlSequenceNode plays || plays.Children.Count == 0)
        {
            throw new LlmAnswerException("the YAML is not a list of plays");
        }

        foreach (var play in plays.Children)
        {
            if (play is not YamlMappingNode map
                || !map.Children.ContainsKey(new YamlScalarNode("hosts"))
                || !(map.Children.TryGetValue(new YamlScalarNode("tasks"), out var tasks) && tasks is YamlSequenceNode { Children.Count: > 0 }))
            {
                throw new LlmAnswerException("a play lacks hosts or a non-empty tasks list");
            }
        }
    }

    /// <summary>
    /// A model may copy alert text verbatim into the playbook. When such text carries template syntax,
    /// a scalar equal to it is made a literal; a scalar that embeds it in larger text cannot be fixed
    /// safely, so the answer is refused.
    /// </summary>
    private static void QuoteAlertTemplates(YamlNode root, NormalizedAlert alert)
    {
        var hostile = AlertFields.Names
            .Select(n => AlertFields.Read(alert, n))
            .Concat(alert.Fields.Values)
            .Concat(alert.MitreTechniques)
            .Where(v => v is not null && HasTemplateSyntax(v))
            .Select(v => v!.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (hostile.Count == 0)
        {
            return;
        }

        foreach (var scalar in PlaybookYaml.Scalars(root).ToList())
        {
            if (scalar.Value is null || PlaybookYaml.IsLiteral(scalar))
            {
                continue;
            }

            if (hostile.Any(h => string.Equals(scalar.Value.Trim(), h, StringComparison.Ordinal)))
            {
                scalar.Tag = new TagName(PlaybookYaml.UnsafeTag);
                scalar.Style = ScalarStyle.DoubleQuoted;
            }
            else if (hostile.Any(h => scalar.Value.Contains(h, StringComparison.Ordinal)))
            {
                throw new LlmAnswerException("the playbook embeds alert text containing template syntax outside a literal");
            }
        }
    }

    private static bool HasTemplateSyntax(string value) =>
        value.Contains("{{", StringComparison.Ordinal) || value.Contains("{%", StringComparison.Ordinal) || value.Contains("{#", StringComparison.Ordinal);

    [GeneratedRegex(@"```[ \t]*(?:ya?ml|ansible)?[ \t]*\r?\n(?<body>.*?)\r?\n[ \t]*```", RegexOptions.Singleline | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex FenceRegex();
}
