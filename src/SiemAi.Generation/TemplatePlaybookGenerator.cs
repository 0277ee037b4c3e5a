using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;
using SiemAi.Generation.Rendering;
using SiemAi.Generation.Templates;
using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation;

/// <summary>
/// Picks the best-scoring template whose parameters the alert can fill and renders it as a YAML graph:
/// alert-derived values go only into play <c>vars</c> (and <c>hosts</c>) as <c>!unsafe</c> literals; the
/// template's own tasks refer to them by name. Nothing good enough → the read-only evidence playbook.
/// </summary>
public sealed class TemplatePlaybookGenerator : IPlaybookGenerator
{
    public const string GeneratorName = "template";

    private readonly TemplateLibrary _library;
    private readonly TemplateSelector _selector;
    private readonly IOptions<GenerationOptions> _options;
    private readonly ILogger<TemplatePlaybookGenerator> _logger;

    public TemplatePlaybookGenerator(TemplateLibrary library, TemplateSelector selector, IOptions<GenerationOptions> options, ILogger<TemplatePlaybookGenerator> logger)
    {
        _library = library;
        _selector = selector;
        _options = options;
        _logger = logger;
    }

    public Task<GeneratedPlaybook> GenerateAsync(GeneratePlaybook request, CancellationToken cancellationToken) =>
        Task.FromResult(Generate(request));

    public GeneratedPlaybook Generate(GeneratePlaybook request)
    {
        var asset = RequireTarget(request.Alert);
        var threshold = _options.Value.SelectionThreshold;
        var ranked = _selector.Rank(request.Alert);
        var refusals = new List<string>();
        foreach (var candidate in ranked.Where(r => r.Score >= threshold))
        {
            var binding = ParameterBinder.Bind(candidate.Template, request.Alert);
            if (binding.Succeeded)
            {
                _logger.LogInformation(
                    "Incident {IncidentId}: template {TemplateId} {TemplateVersion} chosen with score {Score} ({Signals})",
                    request.IncidentId, candidate.Template.Id, candidate.Template.Version, candidate.Score, string.Join(",", candidate.Signals));
                return Render(candidate.Template, request.Alert, asset, request.IncidentId, candidate.Score, note: null);
            }

            refusals.Add($"{candidate.Template.Id} ({candidate.Score.ToString("0.00", CultureInfo.InvariantCulture)}): {binding.Problem}");
        }

        var best = ranked.Count > 0 ? ranked[0] : null;
        var note = refusals.Count > 0
            ? "matching templates could not use this alert: " + string.Join("; ", refusals)
            : best is null
                ? "no template matched this alert"
                : $"no template scored {threshold.ToString("0.00", CultureInfo.InvariantCulture)} or more (best: {best.Template.Id} {best.Score.ToString("0.00", CultureInfo.InvariantCulture)})";
        _logger.LogInformation("Incident {IncidentId}: evidence-only playbook because {Reason}", request.IncidentId, note);
        return Render(_library.Evidence, request.Alert, asset, request.IncidentId, best?.Score ?? 0, note);
    }

    /// <summary>Renders one template for an alert (throws <see cref="PlaybookGenerationException"/> when its parameters cannot be filled).</summary>
    public GeneratedPlaybook Render(PlaybookTemplate template, NormalizedAlert alert, Guid incidentId)
    {
        var asset = RequireTarget(alert);
        return Render(template, alert, asset, incidentId, TemplateSelector.Score(template, alert).Score, template.Metadata.IsEvidence ? "rendered on request" : null);
    }

    /// <summary>The alert's asset as a play target; throws (not retryable) when there is none or it is not a plain host/group name.</summary>
    public static string RequireTarget(NormalizedAlert alert)
    {
        if (string.IsNullOrWhiteSpace(alert.Asset))
        {
            throw new PlaybookGenerationException("the alert names no Asset; SiemAi only targets the alert's own host or group, never all", retryable: false);
        }

        var asset = alert.Asset.Trim();
        if (!ParameterValidation.IsValidTarget(asset))
        {
            throw new PlaybookGenerationException("the alert's Asset is not a valid inventory host name, address or group name (patterns and 'all' are refused)", retryable: false);
        }

        return asset;
    }

    private static GeneratedPlaybook Render(PlaybookTemplate template, NormalizedAlert alert, string asset, Guid incidentId, double score, string? note)
    {
        var binding = ParameterBinder.Bind(template, alert);
        if (!binding.Succeeded)
        {
            throw new PlaybookGenerationException($"template {template.Id}: {binding.Problem}", retryable: false);
        }

        var evidence = template.Metadata.IsEvidence;
        var vars = new YamlMappingNode
        {
            { "siemai_incident_id", PlaybookYaml.Quoted(incidentId.ToString()) },
            { "siemai_template", PlaybookYaml.Quoted(template.Id) },
            { "siemai_template_version", PlaybookYaml.Quoted(template.Version) },
            { "siemai_playbook_kind", PlaybookYaml.Quoted(evidence ? "evidence-only" : "remediation") },
        };
        if (note is not null)
        {
            vars.Add("siemai_selection_note", PlaybookYaml.Literal(note));
        }

        // Metadata order, so a reviewer reads parameters in the order the template documents them.
        foreach (var spec in template.Metadata.Parameters)
        {
            if (binding.Values.TryGetValue(spec.Name, out var value))
            {
                vars.Add(spec.Name, PlaybookYaml.Literal(value));
            }
        }

        var name = evidence
            ? $"SiemAi EVIDENCE COLLECTION ONLY (read-only, no remediation): {template.Metadata.Title}"
            : $"SiemAi {template.Id} {template.Version}: {template.Metadata.Title}";
        var play = new YamlMappingNode
        {
            { "name", PlaybookYaml.Quoted(name) },
            { "hosts", PlaybookYaml.Literal(asset) },
            { "become", PlaybookYaml.Plain("true") },
            { "gather_facts", PlaybookYaml.Plain(template.GatherFacts ? "true" : "false") },
            { "vars", vars },
            { "tasks", PlaybookYaml.Clone(template.Tasks) },
        };
        if (template.Handlers is { Children.Count: > 0 })
        {
            play.Add("handlers", PlaybookYaml.Clone(template.Handlers));
        }

        var yaml = PlaybookYaml.Emit(new YamlSequenceNode(play));
        return new GeneratedPlaybook
        {
            Yaml = yaml,
            Title = evidence ? $"Evidence collection only on {asset}" : $"{template.Metadata.Title} on {asset}",
            DeclaredRisk = template.Metadata.Risk,
            Provenance = new GeneratorProvenance
            {
                Generator = GeneratorName,
                TemplateId = template.Id,
                TemplateVersion = template.Version,
                Score = score,
                Parameters = new Dictionary<string, string>(binding.Values) { ["hosts"] = asset },
            },
        };
    }
}
