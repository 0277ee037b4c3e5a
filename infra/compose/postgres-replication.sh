#!/usr/bin/env bash
# First start of the compose primary (infra/compose/ha.yml): a replication role for the standby, streaming
# allowed from the compose network, and commits wait for the standby (no acknowledged alert only on the primary).
set -euo pipefail
REPLICATION_PASSWORD="$(cat "${REPLICATION_PASSWORD_FILE}")"
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '${REPLICATION_PASSWORD}';
ALTER SYSTEM SET synchronous_standby_names = '*';
ALTER SYSTEM SET wal_keep_size = '512MB';
SQL
echo "host replication replicator all scram-sha-256" >> "${PGDATA}/pg_hba.conf"
