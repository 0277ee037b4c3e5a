namespace SiemAi.EventStore;

/// <summary>One versioned schema change of one module; <c>{app_role}</c> in the SQL is the application role.</summary>
public sealed record SchemaMigration(string Module, int Version, string Name, string Sql);
