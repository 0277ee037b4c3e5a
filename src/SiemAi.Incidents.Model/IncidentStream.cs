namespace SiemAi.Incidents.Model;

/// <summary>The incident's event stream id, built and parsed here only.</summary>
public static class IncidentStream
{
    public const string Prefix = "incident-";

    public static string Id(Guid incidentId) => Prefix + incidentId.ToString("D");

    /// <summary>Accepts a bare incident GUID or its stream id.</summary>
    public static bool TryParse(string incident, out string streamId)
    {
        if (IncidentIdOf(incident) is { } id)
        {
            streamId = Id(id);
            return true;
        }

        streamId = string.Empty;
        return false;
    }

    /// <summary>The incident id in a stream id (or a bare GUID), or null.</summary>
    public static Guid? IncidentIdOf(string streamId)
    {
        var raw = streamId.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? streamId[Prefix.Length..] : streamId;
        return Guid.TryParse(raw, out var id) ? id : null;
    }
}
