using Npgsql;
using SiemAi.Hosting;

namespace SiemAi.Cli;

/// <summary>The CLI reads the same variables as the host (DB_*), from its environment.</summary>
public static class CliDatabase
{
    public static DatabaseSettings Settings() => DatabaseSettings.From(name =>
        Environment.GetEnvironmentVariable(name.Replace(":", "__", StringComparison.Ordinal)));

    public static NpgsqlDataSource App() => NpgsqlDataSource.Create(Settings().AppConnectionString);
}
