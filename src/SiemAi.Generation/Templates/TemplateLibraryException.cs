namespace SiemAi.Generation.Templates;

/// <summary>The template library on disk is broken; the message names the file and the problem.</summary>
public sealed class TemplateLibraryException : Exception
{
    public TemplateLibraryException()
    {
    }

    public TemplateLibraryException(string message)
        : base(message)
    {
    }

    public TemplateLibraryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
