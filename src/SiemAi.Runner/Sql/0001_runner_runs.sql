-- Runner module, version 1: one row per RunPlaybook.RunId, claimed before ansible-playbook starts, so a
-- redelivered or duplicated command never starts a second run; the answer is kept to be re-published.
CREATE TABLE runner_runs (
    run_id             uuid PRIMARY KEY,
    incident_id        uuid NOT NULL,
    mode               text NOT NULL,
    claimed_at         timestamptz NOT NULL DEFAULT now(),
    claimed_by         text NOT NULL,
    finished_at        timestamptz,
    answer_type        text CHECK (answer_type IN ('PlaybookRunCompleted', 'PlaybookRunFailed')),
    answer             jsonb,
    answer_message_id  uuid,
    CHECK ((finished_at IS NULL) = (answer IS NULL))
);
CREATE INDEX runner_runs_incident_idx ON runner_runs (incident_id);

REVOKE ALL ON runner_runs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON runner_runs TO {app_role};
