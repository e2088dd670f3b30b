#!/usr/bin/env bash
# Runs the clickstream job locally on the embedded default (files in, SQLite out; no cloud, no Docker):
# builds, generates a deterministic sample, streams it with the available-now trigger into the aggregate store and
# the Delta Lake tables (raw events, quarantine), prints the metrics and describes the events table.
# Usage: ./run.sh [EVENTS] [DATA_DIR]     (defaults: 200000 events in ./out/demo)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
events="${1:-200000}"
data="${2:-out/demo}"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET SDK (see global.json) is required: https://dot.net" >&2
  exit 1
fi

dotnet build jobs/Clickstream.Jobs -c Release --nologo -v q -clp:ErrorsOnly
cs() { dotnet jobs/Clickstream.Jobs/bin/Release/net10.0/clickstream.dll "$@"; }

rm -rf "$data"
cs generate --out "$data/landing" --events "$events" --files 8
cs stream --input "$data/landing" --checkpoint "$data/checkpoint" --store "$data/aggregates.db" --lake "$data/lake" --trigger available-now
echo
cs metrics --store "$data/aggregates.db"
echo
cs lake describe --table "$data/lake/events"
echo
echo "store: $data/aggregates.db   lake: $data/lake/events, $data/lake/quarantine   progress: $data/checkpoint/progress.ndjson"
