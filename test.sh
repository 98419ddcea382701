#!/usr/bin/env bash
# Runs the full test suite against real PostgreSQL and RabbitMQ (the fixtures start and remove their own).
# Installs missing system packages first. Extra arguments go to `dotnet test` (e.g. --filter).
set -uo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh || exit 1
echo "test: building (Release) ..."
dotnet build ParPlatform.sln -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1
log=$(mktemp)
dotnet test ParPlatform.sln -c Release --no-build -nologo --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One closing line over all test assemblies.
awk '/(Passed|Failed)!  *- Failed: /{
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     } END { printf "\nTests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
