#!/usr/bin/env bash
# Runs the whole pipeline locally on the embedded default (no cloud account, no Docker): the collector, the
# streaming job (landing files → SQLite aggregate store + Delta Lake tables), the live dashboard, and a traffic
# simulator posting generated events — `clickstream up`. Prints the URLs; Ctrl-C stops everything cleanly.
# Usage: ./run.sh [RATE] [DATA_DIR]     (defaults: 2000 simulated events/s, data in ./out/stack)
#        COLLECTOR_PORT / DASHBOARD_PORT override the ports (defaults 8080 / 8081).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rate="${1:-2000}"
data="${2:-out/stack}"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET SDK (see global.json) is required: https://dot.net" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "run.sh: Node.js 20.19+ with npm is required to build the dashboard page (https://nodejs.org)" >&2
  exit 1
fi

echo "building (the first build also installs the dashboard's npm packages)…"
dotnet build jobs/Clickstream.Jobs -c Release --nologo -v q -clp:ErrorsOnly
exec dotnet jobs/Clickstream.Jobs/bin/Release/net10.0/clickstream.dll up --data "$data" --simulate "$rate" \
  --collector-port "${COLLECTOR_PORT:-8080}" --dashboard-port "${DASHBOARD_PORT:-8081}"
