#!/usr/bin/env bash
# Runs a benchmark against the whole platform (started here unless --gateway URL is given) and prints its figures.
# Usage: ./bench.sh <scenario> [--duration SECONDS] [--gateway http://127.0.0.1:8080 --gateway-grpc http://127.0.0.1:8081]
#        ./bench.sh list
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh >/dev/null
dotnet build ParPlatform.sln -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet bench/ParPlatform.Bench/bin/Release/net10.0/ParPlatform.Bench.dll "$@"
