namespace SiemAi.Incidents.Outbox;

/// <summary>
/// Collects the messages one transition sends. Present as a payload only when the PostgreSQL saga
/// repository handles the message: it writes them to the outbox table in the transition's transaction.
/// </summary>
public sealed class TransitionOutbox
{
    private readonly List<object> messages = [];

    public IReadOnlyList<object> Messages => messages;

    public void Add(object message) => messages.Add(message);
}
