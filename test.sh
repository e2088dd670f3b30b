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
trap 'rm -f "$log"' EXIT
status=0

step() { echo "== $*"; }

step "chromium (for the dashboard's browser tests)"
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium) || {
  echo "test.sh: the dashboard browser tests need Chromium: apt-get install -y chromium" >&2
  exit 1
}
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
