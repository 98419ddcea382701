#!/usr/bin/env bash
# Prepares a PostgreSQL cluster folder once (run to completion before the server starts): initdb on first use, with
# the superuser password the AppHost generated; the folder belongs to the postgres user when the AppHost runs as root.
# Usage: postgres-init.sh BIN FOLDER RUN_AS ("" when not root)
set -euo pipefail
bin=$1 folder=$2 run_as=$3
data="$folder/data"
mkdir -p "$folder/run"
as_user() { if [ -n "$run_as" ]; then setpriv --reuid="$run_as" --regid="$run_as" --init-groups "$@"; else "$@"; fi; }
if [ -n "$run_as" ]; then chown -R "$run_as:$run_as" "$folder"; fi
if [ ! -f "$data/PG_VERSION" ]; then
  rm -rf "$data"                     # a half-done initdb of an interrupted first run
  as_user mkdir -p "$data"
  echo "initdb (first run) in $data"
  as_user "$bin/initdb" -D "$data" -U postgres --pwfile "$folder/password" -E UTF8 --locale=C.UTF-8 \
    --auth-host=scram-sha-256 --auth-local=peer --no-instructions
fi
