-- SiemAi event store, version 1. Applied by the owner role; {app_role} is the application role.
-- Streams: one row per stream, locked for every append; its version never goes down.
CREATE TABLE streams (
    stream_id   text PRIMARY KEY CHECK (length(stream_id) BETWEEN 1 AND 200),
    version     bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    head_hash   bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Events: append-only. seq is the global order; (stream_id, version) the per-stream order.
CREATE TABLE events (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid NOT NULL UNIQUE,
    stream_id    text NOT NULL REFERENCES streams (stream_id),
    version      bigint NOT NULL CHECK (version >= 1),
    type         text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]{0,99}$'),
    data         jsonb NOT NULL,
    metadata     jsonb NOT NULL,
    recorded_at  timestamptz NOT NULL,
    prev_hash    bytea,
    hash         bytea NOT NULL,
    UNIQUE (stream_id, version)
);
CREATE INDEX events_recorded_at_idx ON events (recorded_at);
CREATE INDEX events_type_seq_idx ON events (type, seq);

-- Immutability: fires ALWAYS, so session_replication_role = replica does not bypass it either.
CREATE FUNCTION es_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are immutable: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_immutable_rows BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION es_reject_change();
CREATE TRIGGER events_immutable_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION es_reject_change();
ALTER TABLE events ENABLE ALWAYS TRIGGER events_immutable_rows;
ALTER TABLE events ENABLE ALWAYS TRIGGER events_immutable_truncate;

CREATE FUNCTION es_guard_stream() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'streams cannot be deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.stream_id <> OLD.stream_id OR NEW.version < OLD.version THEN
        RAISE EXCEPTION 'stream % version cannot go from % to %', OLD.stream_id, OLD.version, NEW.version
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER streams_guard_rows BEFORE UPDATE OR DELETE ON streams
    FOR EACH ROW EXECUTE FUNCTION es_guard_stream();
CREATE TRIGGER streams_guard_truncate BEFORE TRUNCATE ON streams
    FOR EACH STATEMENT EXECUTE FUNCTION es_guard_stream();
ALTER TABLE streams ENABLE ALWAYS TRIGGER streams_guard_rows;
ALTER TABLE streams ENABLE ALWAYS TRIGGER streams_guard_truncate;

-- The chain link: SHA-256 over the previous hash and the event's canonical fields, NUL-separated.
-- jsonb's text form is canonical (keys ordered, one spelling per value), so it survives key reordering.
CREATE FUNCTION es_event_hash(p_prev bytea, p_stream text, p_version bigint, p_event_id uuid, p_type text,
                              p_recorded_at timestamptz, p_data jsonb, p_metadata jsonb)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(
        coalesce(p_prev, ''::bytea)
        || convert_to(p_stream, 'UTF8') || '\x00'::bytea
        || convert_to(p_version::text, 'UTF8') || '\x00'::bytea
        || convert_to(p_event_id::text, 'UTF8') || '\x00'::bytea
        || convert_to(p_type, 'UTF8') || '\x00'::bytea
        || convert_to(to_char(p_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8') || '\x00'::bytea
        || convert_to(p_data::text, 'UTF8') || '\x00'::bytea
        || convert_to(p_metadata::text, 'UTF8'))
$$;

-- Append with an expected version: -1 any, 0 no stream (or empty), n exact.
-- Returns ('appended', new version), ('duplicate', current version) when these event ids are already
-- there at this position, ('conflict', actual version), or ('id_conflict', actual version) when
-- some ids exist elsewhere. Never raises for those, so a caller's transaction stays usable.
CREATE FUNCTION es_append(p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[])
RETURNS TABLE (status text, stream_version bigint) LANGUAGE plpgsql
-- Generic plans: re-planning the same statements on every call was ~17% of its CPU.
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    n        int := coalesce(array_length(p_ids, 1), 0);
    cur      bigint;
    head     bytea;
    found_n  int;
    same_pos boolean;
    offsets  bigint;
    base     bigint;
    ts       timestamptz := date_trunc('microseconds', clock_timestamp());
    hashes   bytea[] := ARRAY[]::bytea[];
    prevs    bytea[] := ARRAY[]::bytea[];
    versions bigint[] := ARRAY[]::bigint[];
    h        bytea;
    i        int;
BEGIN
    IF n = 0 OR array_length(p_types, 1) <> n OR array_length(p_data, 1) <> n OR array_length(p_metadata, 1) <> n THEN
        RAISE EXCEPTION 'es_append: % ids, % types, % data, % metadata', n, array_length(p_types, 1),
            array_length(p_data, 1), array_length(p_metadata, 1) USING ERRCODE = 'invalid_parameter_value';
    END IF;

    INSERT INTO streams (stream_id) VALUES (p_stream) ON CONFLICT (stream_id) DO NOTHING;
    SELECT s.version, s.head_hash INTO cur, head FROM streams s WHERE s.stream_id = p_stream FOR UPDATE;

    -- Retried appends: the same ids, in the same order, consecutive in this stream = already done.
    SELECT count(*), bool_and(e.stream_id = p_stream), count(DISTINCT e.version - ids.ord), min(e.version - ids.ord)
      INTO found_n, same_pos, offsets, base
      FROM unnest(p_ids) WITH ORDINALITY AS ids (id, ord)
      JOIN events e ON e.event_id = ids.id;
    IF found_n > 0 THEN
        IF found_n = n AND same_pos AND offsets = 1 AND (p_expected = -1 OR base = p_expected) THEN
            RETURN QUERY SELECT 'duplicate'::text, cur;
        ELSE
            RETURN QUERY SELECT 'id_conflict'::text, cur;
        END IF;
        RETURN;
    END IF;

    IF p_expected >= 0 AND p_expected <> cur THEN
        RETURN QUERY SELECT 'conflict'::text, cur;
        RETURN;
    END IF;

    h := head;
    FOR i IN 1..n LOOP
        prevs := array_append(prevs, h);
        h := es_event_hash(h, p_stream, cur + i, p_ids[i], p_types[i], ts, p_data[i], p_metadata[i]);
        hashes := array_append(hashes, h);
        versions := array_append(versions, cur + i);
    END LOOP;

    INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
    SELECT u.id, p_stream, u.v, u.t, u.d, u.m, ts, u.p, u.h
      FROM unnest(p_ids, versions, p_types, p_data, p_metadata, prevs, hashes) AS u (id, v, t, d, m, p, h);

    UPDATE streams SET version = cur + n, head_hash = h, updated_at = ts WHERE stream_id = p_stream;
    RETURN QUERY SELECT 'appended'::text, cur + n;
END $$;

REVOKE ALL ON streams, events FROM PUBLIC;
GRANT SELECT, INSERT ON events TO {app_role};
GRANT SELECT, INSERT ON streams TO {app_role};
GRANT UPDATE (version, head_hash, updated_at) ON streams TO {app_role};
GRANT EXECUTE ON FUNCTION es_append(text, bigint, uuid[], text[], jsonb[], jsonb[]) TO {app_role};
GRANT EXECUTE ON FUNCTION es_event_hash(bytea, text, bigint, uuid, text, timestamptz, jsonb, jsonb) TO {app_role};
