#!/usr/bin/env bash
# Installs the system packages ParPlatform needs (PostgreSQL server, RabbitMQ server; for the web console's browser
# tests, Debian's chromium and the Noto fonts, which cover Vietnamese; for the benchmarks, nginx-light and wrk).
# Idempotent: safe to re-run.
set -euo pipefail

need=()
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then need+=(postgresql postgresql-contrib); fi
if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then need+=(rabbitmq-server); fi
# tests/Web.Tests drive this chromium through Playwright (CHROMIUM_PATH overrides it); Playwright's own browser
# download is not used. Without Noto, Vietnamese text renders in mixed fallback fonts in the screenshots.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then need+=(chromium); fi
if ! dpkg-query -W -f='${Status}' fonts-noto-core 2>/dev/null | grep -q "install ok installed"; then need+=(fonts-noto-core); fi
# ./bench.sh gateway-vs-nginx measures the gateway against nginx on the same route, loaded by wrk.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then need+=(nginx-light); fi
if ! command -v wrk >/dev/null 2>&1; then need+=(wrk); fi

if [ ${#need[@]} -eq 0 ]; then
  echo "setup: PostgreSQL, RabbitMQ, chromium, the Noto fonts, nginx and wrk are installed."
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${need[*]} ..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d stops the packages' post-install scripts from starting system-wide daemons: the AppHost and the
# tests run their own PostgreSQL and RabbitMQ processes on loopback with private data folders.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null; $SUDO chmod +x "$policy"; created_policy=1
fi
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if [ "$created_policy" = 1 ]; then $SUDO rm -f "$policy"; fi
# The package may have started a default node anyway (no systemd here); ours use their own names and ports.
echo "setup: done."
