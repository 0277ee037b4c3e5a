#!/usr/bin/env bash
# First start of the compose PostgreSQL: the two roles and the database, as infra/local/services.sh makes them.
set -euo pipefail
# Passwords come as Docker secrets (files); plain variables still work for a quick local start.
for name in DB_PASSWORD DB_OWNER_PASSWORD; do
    file_var="${name}_FILE"
    if [ -n "${!file_var:-}" ]; then
        printf -v "$name" '%s' "$(cat "${!file_var}")"
    fi
done
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE ${DB_OWNER} LOGIN CREATEDB PASSWORD '${DB_OWNER_PASSWORD}';
CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}';
GRANT ${DB_USER} TO ${DB_OWNER};
CREATE DATABASE ${DB_NAME} OWNER ${DB_OWNER};
SQL
psql -v ON_ERROR_STOP=1 --username postgres -d "${DB_NAME}" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE, CREATE ON SCHEMA public TO ${DB_OWNER};"
