#!/usr/bin/env bash
# THE RELIABILITY RUN: the chaos, storage-outage and fuzz tests at full size, results to artifacts/reliability/<time>/.
#   ./scripts/reliability.sh [--runs N]
# Sizes (environment, defaults are the full size; the normal test suite runs the same tests CI-sized):
#   CINCHFLOWS_CHAOS_FLOWS=500 CINCHFLOWS_CHAOS_KILLS=10 CINCHFLOWS_CHAOS_KILL_INTERVAL=3
#   CINCHFLOWS_FUZZ_REQUESTS=10000 CINCHFLOWS_FUZZ_SEED=20261123 CINCHFLOWS_OUTAGE_SECONDS=10
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=reliability
cd "$CINCHFLOWS_ROOT"

runs=1
while (($# > 0)); do
  case "$1" in
    --runs)
      (($# >= 2)) || die "--runs needs a number"
      runs="$2"
      shift 2
      ;;
    -h | --help)
      sed -n '2,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number, not '$runs'"

export CINCHFLOWS_CHAOS_FLOWS="${CINCHFLOWS_CHAOS_FLOWS:-500}"
export CINCHFLOWS_CHAOS_KILLS="${CINCHFLOWS_CHAOS_KILLS:-10}"
export CINCHFLOWS_CHAOS_KILL_INTERVAL="${CINCHFLOWS_CHAOS_KILL_INTERVAL:-3}"
export CINCHFLOWS_FUZZ_REQUESTS="${CINCHFLOWS_FUZZ_REQUESTS:-10000}"
export CINCHFLOWS_FUZZ_SEED="${CINCHFLOWS_FUZZ_SEED:-20261123}"
export CINCHFLOWS_OUTAGE_SECONDS="${CINCHFLOWS_OUTAGE_SECONDS:-10}"
# A full-size run takes minutes per test; only a real hang should be cut off.
export CINCHFLOWS_TEST_HANG_TIMEOUT="${CINCHFLOWS_TEST_HANG_TIMEOUT:-60m}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$CINCHFLOWS_ROOT/artifacts/reliability/$stamp"
mkdir -p "$results"
log "chaos $CINCHFLOWS_CHAOS_FLOWS flows / $CINCHFLOWS_CHAOS_KILLS kills, fuzz $CINCHFLOWS_FUZZ_REQUESTS requests (seed $CINCHFLOWS_FUZZ_SEED), outage ${CINCHFLOWS_OUTAGE_SECONDS} s; $runs run(s); results in ${results#"$CINCHFLOWS_ROOT"/}"

status=0
for ((run = 1; run <= runs; run++)); do
  export CINCHFLOWS_RELIABILITY_RESULTS="$results/run-$run"
  log "run $run of $runs"
  ./scripts/test.sh --filter 'FullyQualifiedName~CinchFlows.IntegrationTests.Reliability' || status=1
done

# One Markdown and one JSON file for the whole run: every test's figures, per run.
python3 - "$results" <<'PY'
import glob, json, os, sys
results = sys.argv[1]
runs = sorted(glob.glob(os.path.join(results, "run-*")), key=lambda p: int(p.rsplit("-", 1)[1]))
combined, lines = {"runs": []}, [f"# Reliability results ({os.path.basename(results)})", ""]
for run in runs:
    name = os.path.basename(run)
    entry = {"run": name, "tests": []}
    lines += [f"# {name}", ""]
    for path in sorted(glob.glob(os.path.join(run, "*.json"))):
        with open(path) as f:
            entry["tests"].append(json.load(f))
        with open(path[:-5] + ".md") as f:
            lines += [f.read(), ""]
    combined["runs"].append(entry)
with open(os.path.join(results, "results.json"), "w") as f:
    json.dump(combined, f, indent=2)
with open(os.path.join(results, "results.md"), "w") as f:
    f.write("\n".join(lines))
PY
log "results: ${results#"$CINCHFLOWS_ROOT"/}/results.md and results.json"
exit "$status"
