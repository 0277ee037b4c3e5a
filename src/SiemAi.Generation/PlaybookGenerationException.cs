namespace SiemAi.Generation;

/// <summary>No playbook can be produced for this request; the message is safe to show (it never echoes alert values).</summary>
public sealed class PlaybookGenerationException : Exception
{
    public PlaybookGenerationException()
    {
    }

    public PlaybookGenerationException(string message)
        : base(message)
    {
    }

    public PlaybookGenerationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PlaybookGenerationException(string message, bool retryable)
        : base(message) => Retryable = retryable;

    /// <summary>False when asking again cannot help (the alert itself lacks what any playbook needs).</summary>
    public bool Retryable { get; }
}
