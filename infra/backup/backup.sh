#!/usr/bin/env bash
# Backs up SiemAi: the PostgreSQL database (pg_dump custom format: event store, saga state, read models,
# ingestion and runner tables), the approved-playbook archive, the audit digest at backup time, and a
# manifest with the SHA-256 of every file. Usage: infra/backup/backup.sh OUT_DIR
#
# Reads DB_HOST, DB_PORT, DB_NAME, DB_OWNER/DB_OWNER_PASSWORD (dump), DB_USER/DB_PASSWORD (digest),
# RUNNER_LIBRARY_PATH (default playbooks/_library) and SIEMAI_CLI (default: the built siemai CLI).
# Passwords go to the tools through PGPASSWORD / the environment, never on a command line.
set -euo pipefail

out="${1:?usage: backup.sh OUT_DIR}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DB_HOST:=127.0.0.1}" "${DB_PORT:=5432}" "${DB_NAME:=siemai}"
: "${DB_OWNER:?DB_OWNER is required (the migration role dumps the database)}" "${DB_OWNER_PASSWORD:?DB_OWNER_PASSWORD is required}"
library="${RUNNER_LIBRARY_PATH:-$root/playbooks/_library}"
cli="${SIEMAI_CLI:-dotnet $root/src/SiemAi.Cli/bin/Release/net10.0/siemai.dll}"

mkdir -p "$out"
if [ -e "$out/manifest.json" ]; then
    echo "backup: $out already holds a backup; use a new directory" >&2
    exit 2
fi

# The digest first: whatever is appended while the dump runs is after its as-of sequence and is not claimed by it.
$cli audit digest --json > "$out/digest.json"
PGPASSWORD="$DB_OWNER_PASSWORD" pg_dump --format=custom --no-password -h "$DB_HOST" -p "$DB_PORT" -U "$DB_OWNER" -d "$DB_NAME" -f "$out/database.dump"
if [ -d "$library" ]; then
    tar -C "$library" -czf "$out/playbook-library.tar.gz" .
else
    tar -czf "$out/playbook-library.tar.gz" --files-from /dev/null
fi

files=(database.dump playbook-library.tar.gz digest.json)
{
    printf '{\n  "created_at": "%s",\n  "database": "%s",\n  "digest": %s,\n  "files": {\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$DB_NAME" "$(tr -d '\n' < "$out/digest.json")"
    for i in "${!files[@]}"; do
        sum="$(sha256sum "$out/${files[$i]}" | cut -d' ' -f1)"
        sep=","; [ "$i" -eq $((${#files[@]} - 1)) ] && sep=""
        printf '    "%s": "%s"%s\n' "${files[$i]}" "$sum" "$sep"
    done
    printf '  }\n}\n'
} > "$out/manifest.json"
echo "backup: $out ($(du -sh "$out" | cut -f1)), digest $(jq -r .digest "$out/digest.json") as of sequence $(jq -r .as_of_sequence "$out/digest.json")" >&2
