#!/usr/bin/env bash
# Runs the whole pipeline on this machine: real RabbitMQ + PostgreSQL (services.sh), migrations, and the
# SiemAi host with every role in lab mode. Prints where it listens and the lab credentials it generated
# (shown once; nothing is written to the repository).
#   infra/local/run.sh [--roles ingestion,saga,...]
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(bash infra/local/services.sh)"
dotnet build src/SiemAi.Host -c Release -nodeReuse:false -v q -warnaserror >&2

export SIEMAI_LAB_MODE=true RUNNER_LAB=true
# The gate resolves every play target against the runner's inventory (groups, unknown hosts and the controller
# block); the lab alias, a local connection by design, is the one local host allowed.
export Safety__InventoryPath="${Safety__InventoryPath:-$PWD/playbooks/inventories/lab.ini}" Safety__LabLocalHosts__0=lab-target
export API_KEY="${API_KEY:-lab-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
export WEBHOOK_PORT="${WEBHOOK_PORT:-5000}" REVIEW_UI_PORT="${REVIEW_UI_PORT:-8088}"
export SYSLOG_UDP_PORT="${SYSLOG_UDP_PORT:-5514}" SYSLOG_TCP_PORT="${SYSLOG_TCP_PORT:-5514}"
cat >&2 <<INFO
SiemAi lab
  webhook   http://127.0.0.1:${WEBHOOK_PORT}/ingest/webhook   (header X-API-Key: ${API_KEY})
  syslog    udp/tcp 127.0.0.1:${SYSLOG_UDP_PORT}
  health    http://127.0.0.1:${WEBHOOK_PORT}/health/ready
  broker    RabbitMQ 127.0.0.1:${RABBITMQ_PORT} vhost ${RABBITMQ_VHOST} (publish SiemAi.Contracts:SiemAlert)
  lab asset name alerts about this machine "lab-target" (playbooks/inventories/lab.ini)
Try:
  curl -s -XPOST http://127.0.0.1:${WEBHOOK_PORT}/ingest/generic -H "X-API-Key: ${API_KEY}" -H 'content-type: application/json' \\
    -d '{"source":"lab","title":"SSH brute force","severity":"high","host":"lab-target","sourceIp":"203.0.113.7","ruleId":"5712","mitreTechniques":["T1110"]}'
INFO
exec dotnet src/SiemAi.Host/bin/Release/net10.0/SiemAi.Host.dll "$@"
