-- Incident saga state, read model, transactional outbox, inbox and timers. {app_role} is the application role.
CREATE TABLE incident_sagas (
    incident_id   uuid PRIMARY KEY,
    current_state text NOT NULL,
    version       int NOT NULL,
    data          jsonb NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- What the API and UI query; written in the same transaction as the saga row and its events.
CREATE TABLE incidents (
    incident_id      uuid PRIMARY KEY,
    status           text NOT NULL,
    severity         text NOT NULL,
    severity_rank    int NOT NULL,
    title            text NOT NULL,
    fingerprint      text NOT NULL,
    asset            text,
    source_system    text,
    alert_count      int NOT NULL,
    playbook_sha256  text,
    verdict          text,
    risk             text,
    approvals        jsonb NOT NULL DEFAULT '[]',
    deadline         timestamptz,
    created_at       timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX incidents_status_idx ON incidents (status, severity_rank DESC, created_at DESC);
CREATE INDEX incidents_created_idx ON incidents (created_at DESC);

-- Messages a transition sends, committed with the transition, relayed to RabbitMQ afterwards.
CREATE TABLE outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id    uuid NOT NULL UNIQUE,
    message_type  text NOT NULL,
    body          jsonb NOT NULL,
    incident_id   uuid,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Messages already consumed by a saga: a redelivery is acknowledged and does nothing.
CREATE TABLE saga_inbox (
    message_id   uuid PRIMARY KEY,
    incident_id  uuid,
    consumed_at  timestamptz NOT NULL DEFAULT now()
);

-- Deadlines (approval expiry, stage timeouts, retry back-off); fired once by any host with SKIP LOCKED.
CREATE TABLE incident_timers (
    timer_id     uuid PRIMARY KEY,
    incident_id  uuid NOT NULL,
    kind         text NOT NULL,
    due_at       timestamptz NOT NULL,
    fired_at     timestamptz,
    cancelled_at timestamptz
);
CREATE INDEX incident_timers_due_idx ON incident_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON incident_sagas, incidents, incident_timers TO {app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox TO {app_role};
GRANT SELECT, INSERT, DELETE ON saga_inbox TO {app_role};
