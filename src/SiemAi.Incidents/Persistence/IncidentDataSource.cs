using Npgsql;

namespace SiemAi.Incidents.Persistence;

/// <summary>The application role's data source, as the incident module sees it (a distinct type so DI never confuses roles).</summary>
public sealed class IncidentDataSource(NpgsqlDataSource value)
{
    public NpgsqlDataSource Value { get; } = value;
}
