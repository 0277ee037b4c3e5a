namespace SiemAi.Sandbox;

/// <summary>The sandbox is required but cannot be used: the program must not run at all.</summary>
public sealed class SandboxUnavailableException : Exception
{
    public SandboxUnavailableException()
    {
    }

    public SandboxUnavailableException(string message)
        : base(message)
    {
    }

    public SandboxUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
