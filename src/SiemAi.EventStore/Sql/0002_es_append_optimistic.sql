-- SiemAi event store, version 2: a cheaper es_append with the same signature, answers and guarantees.
-- CREATE OR REPLACE keeps the function's grants. PostgreSQL CPU per single-event append: about 20 % less
-- in a psql loop (backend CPU, 6 alternating rounds, median 816 -> 640 µs), 30-40 % less in the benchmark.
--
-- What changed, and why:
-- * The chain link is computed inline instead of calling es_event_hash (same expression, same bytes):
--   es_event_hash is IMMUTABLE but calls STABLE functions (to_char, convert_to), so PostgreSQL never
--   inlines it, and plpgsql set the SQL function up again in every transaction.
-- * Optimistic first pass: read the stream row without locking, probe the event ids with one index
--   lookup, and take the lock with the write itself: UPDATE ... WHERE version and head are still what
--   was read (or INSERT of a new stream row with its final version and head), the events inserted in
--   the same statement only when that write happened. Two statements instead of six.
-- * Anything else (an id already stored, a version that does not match, a stream changed or created
--   since the read) falls back to version 1's locked path, which decides exactly as before: the stream
--   row locked FOR UPDATE, then duplicate / id_conflict / conflict / append.
CREATE OR REPLACE FUNCTION es_append(p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[])
RETURNS TABLE (status text, stream_version bigint) LANGUAGE plpgsql
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
    prefix   bytea;
    stamp    bytea;
    hashes   bytea[];
    prevs    bytea[];
    versions bigint[];
    h        bytea;
    i        int;
    known    boolean;
    taken    boolean;
    locked   boolean := false;
BEGIN
    IF n = 0 OR array_length(p_types, 1) <> n OR array_length(p_data, 1) <> n OR array_length(p_metadata, 1) <> n THEN
        RAISE EXCEPTION 'es_append: % ids, % types, % data, % metadata', n, array_length(p_types, 1),
            array_length(p_data, 1), array_length(p_metadata, 1) USING ERRCODE = 'invalid_parameter_value';
    END IF;

    prefix := convert_to(p_stream, 'UTF8') || '\x00'::bytea;
    stamp := '\x00'::bytea || convert_to(to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8') || '\x00'::bytea;

    LOOP
        IF locked THEN
            INSERT INTO streams (stream_id) VALUES (p_stream) ON CONFLICT (stream_id) DO NOTHING;
            SELECT s.version, s.head_hash INTO cur, head FROM streams s WHERE s.stream_id = p_stream FOR UPDATE;
            known := true;
            taken := EXISTS (SELECT FROM events e WHERE e.event_id = ANY (p_ids));
        ELSE
            SELECT coalesce(s.version, 0), s.head_hash, s.stream_id IS NOT NULL, EXISTS (SELECT FROM events e WHERE e.event_id = ANY (p_ids))
              INTO cur, head, known, taken
              FROM (SELECT) AS one LEFT JOIN streams s ON s.stream_id = p_stream;
        END IF;

        IF taken THEN
            IF NOT locked THEN
                locked := true;
                CONTINUE;
            END IF;
            SELECT count(*), bool_and(e.stream_id = p_stream), count(DISTINCT e.version - ids.ord), min(e.version - ids.ord)
              INTO found_n, same_pos, offsets, base
              FROM unnest(p_ids) WITH ORDINALITY AS ids (id, ord)
              JOIN events e ON e.event_id = ids.id;
            IF found_n = n AND same_pos AND offsets = 1 AND (p_expected = -1 OR base = p_expected) THEN
                RETURN QUERY SELECT 'duplicate'::text, cur;
            ELSE
                RETURN QUERY SELECT 'id_conflict'::text, cur;
            END IF;
            RETURN;
        END IF;

        IF p_expected >= 0 AND p_expected <> cur THEN
            IF NOT locked THEN
                locked := true;
                CONTINUE;
            END IF;
            RETURN QUERY SELECT 'conflict'::text, cur;
            RETURN;
        END IF;

        hashes := ARRAY[]::bytea[];
        prevs := ARRAY[]::bytea[];
        versions := ARRAY[]::bigint[];
        h := head;
        FOR i IN 1..n LOOP
            prevs := array_append(prevs, h);
            h := sha256(coalesce(h, ''::bytea) || prefix
                || convert_to((cur + i)::text, 'UTF8') || '\x00'::bytea
                || convert_to(p_ids[i]::text, 'UTF8') || '\x00'::bytea
                || convert_to(p_types[i], 'UTF8') || stamp
                || convert_to(p_data[i]::text, 'UTF8') || '\x00'::bytea
                || convert_to(p_metadata[i]::text, 'UTF8'));
            hashes := array_append(hashes, h);
            versions := array_append(versions, cur + i);
        END LOOP;

        IF locked THEN
            UPDATE streams SET version = cur + n, head_hash = h, updated_at = ts WHERE stream_id = p_stream;
            INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
            SELECT u.id, p_stream, u.v, u.t, u.d, u.m, ts, u.p, u.h
              FROM unnest(p_ids, versions, p_types, p_data, p_metadata, prevs, hashes) AS u (id, v, t, d, m, p, h);
        ELSIF known THEN
            WITH moved AS (
                UPDATE streams SET version = cur + n, head_hash = h, updated_at = ts
                 WHERE stream_id = p_stream AND version = cur AND head_hash IS NOT DISTINCT FROM head
                RETURNING 1)
            INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
            SELECT u.id, p_stream, u.v, u.t, u.d, u.m, ts, u.p, u.h
              FROM unnest(p_ids, versions, p_types, p_data, p_metadata, prevs, hashes) AS u (id, v, t, d, m, p, h)
             WHERE EXISTS (SELECT FROM moved);
            IF NOT FOUND THEN
                locked := true;
                CONTINUE;
            END IF;
        ELSE
            WITH created AS (
                INSERT INTO streams (stream_id, version, head_hash, updated_at) VALUES (p_stream, n, h, ts)
                ON CONFLICT (stream_id) DO NOTHING
                RETURNING 1)
            INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
            SELECT u.id, p_stream, u.v, u.t, u.d, u.m, ts, u.p, u.h
              FROM unnest(p_ids, versions, p_types, p_data, p_metadata, prevs, hashes) AS u (id, v, t, d, m, p, h)
             WHERE EXISTS (SELECT FROM created);
            IF NOT FOUND THEN
                locked := true;
                CONTINUE;
            END IF;
        END IF;

        status := 'appended';
        stream_version := cur + n;
        RETURN NEXT;
        RETURN;
    END LOOP;
END $$;
