#!/usr/bin/env bash
# Sets up and runs the whole test suite: restore, build (warnings are errors), style check, every test project.
# Ends with a line "N passed, N failed". Exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (see global.json) is required: https://dot.net" >&2
  exit 1
fi

log=$(mktemp)
emulators_started=0
emulators_pid=
cleanup() {
  rm -f "$log" "$log.emulators"
  if [ "$emulators_started" -eq 1 ]; then
    kill "$emulators_pid" 2>/dev/null && wait "$emulators_pid" 2>/dev/null
    tests/emulators/down >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
status=0

step() { echo "== $*"; }

step "chromium (for the dashboard's browser tests)"
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium) || {
  echo "test.sh: the dashboard browser tests need Chromium: apt-get install -y chromium" >&2
  exit 1
}
step "AWS emulators (S3, DynamoDB, Kinesis on 127.0.0.1, for the AWS integration tests)"
if ! command -v java >/dev/null 2>&1; then
  (apt-get update && apt-get install -y openjdk-17-jre-headless) || {
    echo "test.sh: DynamoDB Local needs Java 17: apt-get install -y openjdk-17-jre-headless" >&2
    exit 1
  }
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: the emulators (and the dashboard page build) need Node.js 20.19+ with npm: https://nodejs.org" >&2
  exit 1
fi
# Started in the background while the solution builds; the tests wait for them below.
emulators_started=1
exports_file="$log.emulators"
tests/emulators/up >"$exports_file" &
emulators_pid=$!

step "restore"
dotnet restore Clickstream.sln --nologo -v q || exit 1
step "build (Release, warnings as errors)"
dotnet build Clickstream.sln -c Release --no-restore --nologo -v q -clp:ErrorsOnly || exit 1
step "style (dotnet format --verify-no-changes)"
if ! dotnet format Clickstream.sln --verify-no-changes --no-restore -v q; then
  echo "style check failed: run 'dotnet format Clickstream.sln'" >&2
  status=1
fi

step "tests"
if ! wait "$emulators_pid"; then
  echo "test.sh: the AWS emulators did not start (see above); the AWS integration tests need them" >&2
  exit 1
fi
eval "$(cat "$exports_file")"
dotnet test Clickstream.sln -c Release --no-build --nologo 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
[ "$test_status" -eq 0 ] || status=1

# Sum the per-assembly summaries ("Failed:     0, Passed:   136, Skipped: ...").
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$passed" -eq 0 ]; then
  echo "no tests ran" >&2
  status=1
fi
echo "$passed passed, $failed failed"
exit $status
