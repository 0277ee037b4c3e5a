namespace SiemAi.Generation.Llm;

/// <summary>The model's answer cannot be used; the message becomes the fallback reason.</summary>
public sealed class LlmAnswerException : Exception
{
    public LlmAnswerException()
    {
    }

    public LlmAnswerException(string message)
        : base(message)
    {
    }

    public LlmAnswerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
