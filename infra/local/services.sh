#!/usr/bin/env bash
# Installs (when missing) and starts the real services SiemAi needs on Debian/Ubuntu:
# RabbitMQ, PostgreSQL, ansible-core (+ Debian's ansible for ansible.posix / community.general),
# optionally Chromium and promtool. Creates the database and its two roles, then prints the
# connection settings as `export` lines (eval them). Idempotent: safe to run again with all up.
#
#   eval "$(infra/local/services.sh)"            # install + start + print settings
#   infra/local/services.sh --with chromium,prometheus,compose   # extras the tests use
#
# Generated passwords live in $SIEMAI_STATE_DIR (default /var/lib/siemai), never in the repo.
set -euo pipefail

log() { echo "services: $*" >&2; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { log "run as root or install sudo"; exit 1; }
  SUDO="sudo"
fi
as_postgres() { if [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

extras=""
while [ $# -gt 0 ]; do
  case "$1" in
    --with) extras="${2:-}"; shift 2 ;;
    --with=*) extras="${1#--with=}"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) log "unknown argument $1"; exit 2 ;;
  esac
done

STATE_DIR="${SIEMAI_STATE_DIR:-/var/lib/siemai}"
DB_NAME="${DB_NAME:-siemai}"
DB_OWNER="${DB_OWNER:-siemai_owner}"
DB_USER="${DB_USER:-siemai_app}"
DB_PORT="${DB_PORT:-5432}"
RABBITMQ_USER="${RABBITMQ_USER:-siemai}"
RABBITMQ_VHOST="${RABBITMQ_VHOST:-/}"

# ---- packages -------------------------------------------------------------------------------
need=()
command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
[ -d /usr/lib/postgresql ] && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
ansible-galaxy collection list 2>/dev/null | grep -q '^community.general' || need+=(ansible)
command -v jq >/dev/null 2>&1 || need+=(jq)
# ansible-playbook (the gate's syntax check, the runner) only ever runs inside bubblewrap (docs/sandbox.md).
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
IFS=',' read -r -a extra_list <<< "$extras"
for e in "${extra_list[@]}"; do
  case "$e" in
    chromium) command -v chromium >/dev/null 2>&1 || need+=(chromium) ;;
    prometheus) command -v promtool >/dev/null 2>&1 || need+=(prometheus) ;;
    compose) command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose) ;; # validates docker-compose.yml; no engine needed
    "") ;;
    *) log "unknown extra '$e' (known: chromium, prometheus, compose)"; exit 2 ;;
  esac
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} (apt-get)"
  $SUDO apt-get update -qq >&2
  # Debian's prometheus package would start its own server on :9090; we only want promtool.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# ---- state (generated secrets) --------------------------------------------------------------
$SUDO mkdir -p "$STATE_DIR"
$SUDO chmod 700 "$STATE_DIR"
secret() { # name -> existing or new random secret
  local f="$STATE_DIR/$1"
  if ! $SUDO test -s "$f"; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' | $SUDO tee "$f" >/dev/null
    $SUDO chmod 600 "$f"
  fi
  $SUDO cat "$f"
}
DB_OWNER_PASSWORD=$(secret db_owner_password)
DB_PASSWORD=$(secret db_app_password)
RABBITMQ_PASSWORD=$(secret rabbitmq_password)

# ---- PostgreSQL -----------------------------------------------------------------------------
pg_ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if command -v pg_lsclusters >/dev/null; then
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$pg_ver main$"; then
    $SUDO pg_createcluster "$pg_ver" main --start >&2
  fi
  if ! pg_lsclusters -h | grep "^$pg_ver *main" | grep -q online; then
    log "starting PostgreSQL $pg_ver"
    $SUDO pg_ctlcluster "$pg_ver" main start >&2
  fi
fi
for i in $(seq 1 60); do
  as_postgres pg_isready -q -p "$DB_PORT" && break
  sleep 1
  [ "$i" = 60 ] && { log "PostgreSQL did not answer on port $DB_PORT"; exit 1; }
done
psql_su() { as_postgres psql -v ON_ERROR_STOP=1 -qtA -p "$DB_PORT" "$@"; }
psql_su -d postgres >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_OWNER') THEN
    CREATE ROLE $DB_OWNER LOGIN CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END \$\$;
ALTER ROLE $DB_OWNER WITH LOGIN CREATEDB PASSWORD '$DB_OWNER_PASSWORD';
ALTER ROLE $DB_USER WITH LOGIN PASSWORD '$DB_PASSWORD';
GRANT $DB_USER TO $DB_OWNER;
SQL
if [ -z "$(psql_su -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
  psql_su -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_OWNER" >&2
fi
psql_su -d "$DB_NAME" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE, CREATE ON SCHEMA public TO $DB_OWNER;" >&2

# ---- RabbitMQ -------------------------------------------------------------------------------
if ! $SUDO rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $SUDO systemctl start rabbitmq-server >&2
  else
    $SUDO service rabbitmq-server start >&2 || $SUDO -u rabbitmq rabbitmq-server -detached >&2
  fi
fi
for i in $(seq 1 90); do
  $SUDO rabbitmqctl -q await_startup >/dev/null 2>&1 && break
  sleep 1
  [ "$i" = 90 ] && { log "RabbitMQ did not start"; exit 1; }
done
$SUDO rabbitmq-plugins -q enable rabbitmq_management rabbitmq_prometheus >/dev/null 2>&1 || log "could not enable management/prometheus plugins (optional)"
if ! $SUDO rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$RABBITMQ_USER"; then
  $SUDO rabbitmqctl -q add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
fi
$SUDO rabbitmqctl -q change_password "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
$SUDO rabbitmqctl -q set_user_tags "$RABBITMQ_USER" administrator >/dev/null
$SUDO rabbitmqctl -q set_permissions -p "$RABBITMQ_VHOST" "$RABBITMQ_USER" ".*" ".*" ".*" >/dev/null

# ---- settings -------------------------------------------------------------------------------
log "PostgreSQL $pg_ver on 127.0.0.1:$DB_PORT db=$DB_NAME, RabbitMQ on 127.0.0.1:5672, ansible $(ansible-playbook --version | head -1 | sed 's/.*core //;s/]//')"
cat <<ENV
export DB_HOST=127.0.0.1
export DB_PORT=$DB_PORT
export DB_NAME=$DB_NAME
export DB_USER=$DB_USER
export DB_PASSWORD=$DB_PASSWORD
export DB_OWNER=$DB_OWNER
export DB_OWNER_PASSWORD=$DB_OWNER_PASSWORD
export RABBITMQ_HOST=127.0.0.1
export RABBITMQ_PORT=5672
export RABBITMQ_USER=$RABBITMQ_USER
export RABBITMQ_PASSWORD=$RABBITMQ_PASSWORD
export RABBITMQ_VHOST=$RABBITMQ_VHOST
export RABBITMQ_MANAGEMENT_PORT=15672
ENV
