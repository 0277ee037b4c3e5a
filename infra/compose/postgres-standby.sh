#!/usr/bin/env bash
# The compose standby (infra/compose/ha.yml): on an empty volume, clone the primary with pg_basebackup -R
# (which writes standby.signal and primary_conninfo), then run postgres as the image does.
set -euo pipefail
if [ ! -s "${PGDATA}/PG_VERSION" ]; then
    mkdir -p "${PGDATA}" && chown postgres:postgres "${PGDATA}" && chmod 700 "${PGDATA}"
    export PGPASSWORD="$(cat "${REPLICATION_PASSWORD_FILE}")"
    gosu postgres pg_basebackup -h postgres -U replicator -D "${PGDATA}" -R -X stream --checkpoint=fast
    # A promoted standby has no standby of its own: it must not wait for one.
    echo "synchronous_standby_names = ''" >> "${PGDATA}/postgresql.auto.conf"
fi
exec docker-entrypoint.sh postgres
