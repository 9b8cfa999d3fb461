#!/usr/bin/env bash
# THE TEST COMMAND: build and run every test project, then print one summary line.
#   ./scripts/test.sh [--filter EXPR] [extra dotnet test args...]
# Unit tests use the in-memory store; integration tests start and stop their own
# in-memory Azurite (node_modules/.bin/azurite), so this script starts no servers.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=test
cd "$CINCHFLOWS_ROOT"

readonly RESULTS_DIR="$CINCHFLOWS_ROOT/artifacts/test-results"
# A hung test is killed (and reported) instead of eating CI's whole time budget.
readonly HANG_TIMEOUT="${CINCHFLOWS_TEST_HANG_TIMEOUT:-20m}"

usage() {
  sed -n '2,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

filter=""
extra_args=()
while (($# > 0)); do
  case "$1" in
    --filter)
      (($# >= 2)) || die "--filter needs an expression, e.g. --filter 'FullyQualifiedName~Replay'"
      filter="$2"
      shift 2
      ;;
    --filter=*)
      filter="${1#*=}"
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      extra_args+=("$1")
      shift
      ;;
  esac
done

require_command dotnet "Install the .NET SDK 10."
require_command python3 "Install Python 3 (Debian: apt-get install python3)."
ensure_node_deps
ensure_chromium
# Playwright drives that chromium by its path; it must never try to fetch browsers of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

args=(test CinchFlows.sln -c Release
  --logger "trx"
  --results-directory "$RESULTS_DIR"
  --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none)
if [[ "${CI:-}" == "true" ]]; then
  # Terse build output; the console logger still prints each failed test with its message.
  args+=(--nologo -v quiet --logger "console;verbosity=minimal")
fi
if [[ -n "$filter" ]]; then
  args+=(--filter "$filter")
fi
args+=("${extra_args[@]}")

log "dotnet ${args[*]}"
set +e
dotnet "${args[@]}" </dev/null
dotnet_status=$?
set -e
if ((dotnet_status != 0)); then
  log "dotnet test exited with status $dotnet_status"
fi

# Sum the <Counters> of every TRX file; list failed tests; print the closing line last.
set +e
python3 - "$RESULTS_DIR" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

results_dir = sys.argv[1]
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failed_names = []
trx_files = sorted(glob.glob(os.path.join(results_dir, "**", "*.trx"), recursive=True))
for path in trx_files:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"[test] cannot read {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    counters = root.find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    c = lambda name: int(counters.get(name, "0") or 0)
    passed += c("passed")
    failed += c("failed") + c("error") + c("timeout") + c("aborted")
    # xunit's skipped tests show as NotExecuted results, but the notExecuted counter stays 0.
    skipped += max(c("notExecuted"), c("total") - c("executed"))
    for r in root.iterfind("t:Results/t:UnitTestResult", ns):
        if r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            failed_names.append(r.get("testName", "?"))
if not trx_files:
    print("[test] no TRX results found (did the build fail?)", file=sys.stderr)
elif passed + failed == 0:
    print("[test] no test ran", file=sys.stderr)
if failed_names:
    print(f"[test] failed tests ({len(failed_names)}):", file=sys.stderr)
    for name in failed_names:
        print(f"[test]   {name}", file=sys.stderr)
sys.stderr.flush()
print(f"{passed} passed, {failed} failed, {skipped} skipped", flush=True)
sys.exit(1 if failed > 0 else (2 if passed + failed == 0 else 0))
PY
summary_status=$?
set -e

# Nothing may be printed after the closing line.
if ((dotnet_status != 0)); then
  exit "$dotnet_status"
fi
if ((summary_status != 0)); then
  exit 1
fi
