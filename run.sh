#!/usr/bin/env bash
# Runs the whole platform: installs missing system packages, builds, and starts PostgreSQL, RabbitMQ, the five
# services and the gateway through the AppHost. Arguments go to the AppHost (--fresh, --state-dir, ports; --help).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
echo "run: building (Release) ..."
dotnet build ParPlatform.sln -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet AppHost/ParPlatform.AppHost/bin/Release/net10.0/ParPlatform.AppHost.dll "$@"
