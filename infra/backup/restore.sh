#!/usr/bin/env bash
# Restores a SiemAi backup into a NEW database and proves the audit trail survived: checks every file
# against the manifest first (refuses on any mismatch), creates TARGET_DB, pg_restore, restores the
# playbook archive, then runs `siemai audit verify` and compares `siemai audit digest` as of the backup's
# sequence with the digest recorded at backup time. Usage: infra/backup/restore.sh BACKUP_DIR TARGET_DB
#
# Reads DB_HOST, DB_PORT, DB_OWNER/DB_OWNER_PASSWORD (creates and fills the database; needs CREATEDB),
# DB_USER/DB_PASSWORD (the application role: gets CONNECT, and runs the checks), RUNNER_LIBRARY_PATH,
# SIEMAI_CLI. Exit codes: 0 restored and verified, 1 verification failed, 2 bad backup or usage.
set -euo pipefail

backup="${1:?usage: restore.sh BACKUP_DIR TARGET_DB}"
target="${2:?usage: restore.sh BACKUP_DIR TARGET_DB}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DB_HOST:=127.0.0.1}" "${DB_PORT:=5432}"
: "${DB_OWNER:?DB_OWNER is required}" "${DB_OWNER_PASSWORD:?DB_OWNER_PASSWORD is required}" "${DB_USER:?DB_USER is required}"
library="${RUNNER_LIBRARY_PATH:-$root/playbooks/_library}"
cli="${SIEMAI_CLI:-dotnet $root/src/SiemAi.Cli/bin/Release/net10.0/siemai.dll}"

if [[ ! "$target" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    echo "restore: TARGET_DB must be a plain lower-case database name" >&2
    exit 2
fi

manifest="$backup/manifest.json"
[ -f "$manifest" ] || { echo "restore: $manifest is missing" >&2; exit 2; }
for file in $(jq -r '.files | keys[]' "$manifest"); do
    expected="$(jq -r --arg f "$file" '.files[$f]' "$manifest")"
    [ -f "$backup/$file" ] || { echo "restore: $backup/$file is missing" >&2; exit 2; }
    actual="$(sha256sum "$backup/$file" | cut -d' ' -f1)"
    if [ "$actual" != "$expected" ]; then
        echo "restore: $backup/$file does not match the manifest (sha256 $actual, expected $expected); refusing to restore" >&2
        exit 2
    fi
done

export PGPASSWORD="$DB_OWNER_PASSWORD"
psql_owner() { psql --no-password -v ON_ERROR_STOP=1 -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_OWNER" "$@"; }
psql_owner -d postgres -c "CREATE DATABASE \"$target\""
psql_owner -d "$target" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; REVOKE CONNECT ON DATABASE \"$target\" FROM PUBLIC; GRANT CONNECT ON DATABASE \"$target\" TO \"$DB_USER\""
pg_restore --no-password --exit-on-error --no-owner -h "$DB_HOST" -p "$DB_PORT" -U "$DB_OWNER" -d "$target" "$backup/database.dump"
unset PGPASSWORD
mkdir -p "$library"
tar -C "$library" -xzf "$backup/playbook-library.tar.gz"

export DB_NAME="$target"
if ! $cli audit verify; then
    echo "restore: the restored audit trail does not verify" >&2
    exit 1
fi
as_of="$(jq -r '.digest.as_of_sequence' "$manifest")"
expected="$(jq -r '.digest.digest' "$manifest")"
actual="$($cli audit digest --as-of "$as_of" --json | jq -r .digest)"
if [ "$actual" != "$expected" ]; then
    echo "restore: digest as of sequence $as_of is $actual, the backup recorded $expected" >&2
    exit 1
fi
echo "restore: $target restored and verified; digest $actual as of sequence $as_of matches the backup" >&2
