#!/usr/bin/env bash
# Runs the PostgreSQL server in the foreground for Aspire's orchestrator. DCP stops a process with SIGTERM, which is
# PostgreSQL's "smart" shutdown (it waits for every client to leave, and DCP kills it a few seconds later): the
# signal is turned into SIGINT, the "fast" shutdown, so the server stops cleanly at once.
# Usage: postgres-run.sh RUN_AS ("" when not root) POSTGRES ARGS...
set -u
run_as=$1; shift
if [ -n "$run_as" ]; then
  setpriv --reuid="$run_as" --regid="$run_as" --init-groups "$@" &
else
  "$@" &
fi
child=$!
trap 'kill -INT "$child" 2>/dev/null' TERM INT
status=0
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
exit "$status"
