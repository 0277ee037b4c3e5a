using YamlDotNet.RepresentationModel;

namespace SiemAi.Generation.Templates;

/// <summary>A loaded template: its metadata and the play body (tasks, handlers) as a YAML graph, never text to paste into.</summary>
public sealed class PlaybookTemplate
{
    internal PlaybookTemplate(TemplateMetadata metadata, YamlSequenceNode tasks, YamlSequenceNode? handlers, bool gatherFacts, string directory)
    {
        Metadata = metadata;
        Tasks = tasks;
        Handlers = handlers;
        GatherFacts = gatherFacts;
        Directory = directory;
    }

    public TemplateMetadata Metadata { get; }

    public string Id => Metadata.Id;

    public string Version => Metadata.Version;

    /// <summary>Cached graph: clone before use.</summary>
    internal YamlSequenceNode Tasks { get; }

    internal YamlSequenceNode? Handlers { get; }

    public bool GatherFacts { get; }

    public string Directory { get; }
}
