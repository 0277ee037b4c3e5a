#!/usr/bin/env bash
# Runs every test against real services: installs/starts them (services.sh), builds with warnings
# as errors, runs `dotnet test` on the solution, and ends with one line "N passed, N failed".
#   infra/local/test.sh [extra dotnet test arguments, e.g. --filter ...]
set -uo pipefail
cd "$(dirname "$0")/../.."
services_env=$(bash infra/local/services.sh --with chromium,prometheus,compose) || { echo "services.sh failed"; echo "0 passed, 1 failed"; exit 1; }
eval "$services_env"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results=TestResults
rm -rf "$results"
mkdir -p "$results"
if ! dotnet build SiemAi.sln -nodeReuse:false -warnaserror > "$results/build.log" 2>&1; then
  grep -E 'error|Error' "$results/build.log" | sort -u | head -n 40
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

dotnet test SiemAi.sln --no-build -nodeReuse:false --results-directory "$results" \
  --logger "trx" --logger "console;verbosity=normal" "$@" 2>&1 | grep -vE '^\s*$' | grep -E 'Passed!|Failed!|\[FAIL\]|Error Message|Assert|Exception|Total tests|error' | head -n 400
status=${PIPESTATUS[0]}

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<< "$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<< "$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
