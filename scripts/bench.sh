#!/usr/bin/env bash
# THE BENCHMARK COMMAND: build the service and the harness in Release, then run bench/CinchFlows.Bench, which starts
# its own Azurite and the standalone service, measures every figure of docs/performance.md and prints each beside its
# goal. Results (Markdown, JSON, latency chart PNG, logs) go to artifacts/bench/<UTC time>/.
#   ./scripts/bench.sh [--quick] [--runs N] [--phases LIST] [--out DIR] [--waiting-flows N] [--load-concurrency N] (--help: all)
#   ./scripts/bench.sh --side-by-side [...]   also builds the last commit of the first engine (CINCHFLOWS_BASELINE_COMMIT,
#       default afde859) into artifacts/baseline/<commit>/ and measures it in the same runs, alternately, as the baseline
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=bench
cd "$CINCHFLOWS_ROOT"

require_command dotnet "Install the .NET SDK 10."
ensure_node_deps

# The build from before the engine change: the last commit of our own engine, built once from git (the clone needs that
# commit: a shallow clone does not have it).
BASELINE_COMMIT="${CINCHFLOWS_BASELINE_COMMIT:-afde859}"
args=()
for arg in "$@"; do
  if [[ "$arg" == "--side-by-side" ]]; then
    sha="$(git rev-parse --verify --quiet "${BASELINE_COMMIT}^{commit}")" \
      || die "commit $BASELINE_COMMIT is not in this clone (fetch the full history: git fetch --unshallow)"
    baseline_dir="artifacts/baseline/$sha"
    if [[ ! -f "$baseline_dir/bin/CinchFlows.Functions.dll" ]]; then
      log "building the baseline, commit ${sha:0:7} (our own engine), into $baseline_dir"
      rm -rf "$baseline_dir"
      mkdir -p "$baseline_dir/src"
      git archive "$sha" | tar -x -C "$baseline_dir/src"
      dotnet build "$baseline_dir/src/functions/CinchFlows.Functions" -c Release -o "$baseline_dir/bin" --nologo -v quiet >&2
    fi
    args+=(--baseline "$baseline_dir/bin/CinchFlows.Functions.dll" --baseline-label "own engine (${sha:0:7})")
  else
    args+=("$arg")
  fi
done

log "building the service and the harness (Release)"
dotnet build functions/CinchFlows.Standalone -c Release --nologo -v quiet >&2
dotnet build bench/CinchFlows.Bench -c Release --nologo -v quiet >&2

# exec: Ctrl+C reaches the harness itself, which stops the Azurite and service it started.
exec dotnet bench/CinchFlows.Bench/bin/Release/net10.0/CinchFlows.Bench.dll ${args[@]+"${args[@]}"}
