using System.Collections.Concurrent;

namespace SiemAi.Generation.Llm;

/// <summary>
/// Counts LLM calls per incident in this process, so a flapping incident (regenerate, regenerate...)
/// cannot run up the model bill; once spent, the template library answers.
/// </summary>
public sealed class LlmCallBudget
{
    private const int MaxTrackedIncidents = 10_000;

    private readonly ConcurrentDictionary<Guid, int> _calls = new();

    /// <summary>Takes one call from the incident's budget; false when it is used up.</summary>
    public bool TryTake(Guid incidentId, int maxCalls)
    {
        if (_calls.Count > MaxTrackedIncidents)
        {
            // Old incidents are long closed; forgetting them only re-grants budget to ones that come back.
            _calls.Clear();
        }

        while (true)
        {
            var current = _calls.GetOrAdd(incidentId, 0);
            if (current >= maxCalls)
            {
                return false;
            }

            if (_calls.TryUpdate(incidentId, current + 1, current))
            {
                return true;
            }
        }
    }

    public int Used(Guid incidentId) => _calls.GetValueOrDefault(incidentId);
}
