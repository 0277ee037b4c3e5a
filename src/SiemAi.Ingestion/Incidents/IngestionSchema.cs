namespace SiemAi.Ingestion.Incidents;

/// <summary>
/// Ingestion's tables, as migrations for the host's migrator. <c>{app_role}</c> is replaced by the
/// application role's name, which only needs SELECT/INSERT/UPDATE (never DELETE) on them.
/// </summary>
public static class IngestionSchema
{
    public const string AppRolePlaceholder = "{app_role}";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
    [
        (1, "ingestion_incident_assignment", """
            -- The open incident per fingerprint: one row per fingerprint, replaced when the dedup window lapses.
            CREATE TABLE IF NOT EXISTS ingestion_fingerprints (
                fingerprint  text        PRIMARY KEY,
                incident_id  uuid        NOT NULL,
                first_seen   timestamptz NOT NULL,
                last_seen    timestamptz NOT NULL,
                alert_count  bigint      NOT NULL CHECK (alert_count > 0)
            );

            -- Every incident ingestion ever opened, with its final alert count once the window lapsed.
            CREATE TABLE IF NOT EXISTS ingestion_incidents (
                incident_id  uuid        PRIMARY KEY,
                fingerprint  text        NOT NULL,
                first_seen   timestamptz NOT NULL,
                last_seen    timestamptz NOT NULL,
                alert_count  bigint      NOT NULL CHECK (alert_count > 0)
            );
            CREATE INDEX IF NOT EXISTS ingestion_incidents_fingerprint ON ingestion_incidents (fingerprint, last_seen DESC);

            -- One row per accepted alert id: a redelivered or re-sent alert is counted once and keeps its incident.
            CREATE TABLE IF NOT EXISTS ingestion_alerts (
                alert_id     uuid        PRIMARY KEY,
                incident_id  uuid        NOT NULL,
                fingerprint  text        NOT NULL,
                received_at  timestamptz NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ingestion_alerts_incident ON ingestion_alerts (incident_id);

            -- The database revokes schema rights from PUBLIC; without USAGE the role does not even see the tables.
            GRANT USAGE ON SCHEMA public TO {app_role};
            GRANT SELECT, INSERT, UPDATE ON ingestion_fingerprints, ingestion_incidents, ingestion_alerts TO {app_role};
            """),
    ];

    /// <summary>The migrations' SQL with the role substituted (a quoted identifier, so any role name is safe).</summary>
    public static IEnumerable<string> SqlFor(string appRole) =>
        Migrations.Select(m => m.Sql.Replace(AppRolePlaceholder, "\"" + appRole.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", StringComparison.Ordinal));
}
