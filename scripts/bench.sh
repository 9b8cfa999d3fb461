#!/usr/bin/env bash
# THE BENCHMARK COMMAND: build the service and the harness in Release, then run bench/CinchFlows.Bench, which starts
# its own Azurite and the standalone service, measures every figure of docs/performance.md and prints each beside its
# target. Results (Markdown, JSON, latency chart PNG, logs) go to artifacts/bench/<UTC time>/.
#   ./scripts/bench.sh [--quick] [--runs N] [--phases LIST] [--out DIR] [--waiting-flows N] [--load-concurrency N] (--help: all)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=bench
cd "$CINCHFLOWS_ROOT"

require_command dotnet "Install the .NET SDK 10."
ensure_node_deps

log "building the service and the harness (Release)"
dotnet build functions/CinchFlows.Standalone -c Release --nologo -v quiet >&2
dotnet build bench/CinchFlows.Bench -c Release --nologo -v quiet >&2

# exec: Ctrl+C reaches the harness itself, which stops the Azurite and service it started.
exec dotnet bench/CinchFlows.Bench/bin/Release/net10.0/CinchFlows.Bench.dll "$@"
