# shellcheck shell=bash
# Helpers shared by scripts/run.sh and scripts/test.sh. Source it; do not run it.
# The sourcing script sets `set -euo pipefail` itself.

# The repository root, whatever the caller's working directory.
CINCHFLOWS_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
export CINCHFLOWS_ROOT

# Quiet, reproducible .NET CLI runs.
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# log MESSAGE... — a tagged line on stderr, so stdout stays for results.
log() {
  printf '[%s] %s\n' "${LOG_TAG:-cinchflows}" "$*" >&2
}

# die MESSAGE... — log and exit non-zero.
die() {
  log "error: $*"
  exit 1
}

# require_command NAME HINT — fail early with a useful message when a tool is missing.
require_command() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH. $2"
}

# ensure_node_deps — install the pinned Node tooling (Azurite) from package-lock.json
# when it is missing or the lock file changed since the last install.
ensure_node_deps() {
  local modules="$CINCHFLOWS_ROOT/node_modules"
  if [[ -x "$modules/.bin/azurite" && ! "$CINCHFLOWS_ROOT/package-lock.json" -nt "$modules/.package-lock.json" ]]; then
    return 0
  fi
  require_command node "Install Node.js 20 (Debian: apt-get install nodejs npm)."
  require_command npm "Install npm (Debian: apt-get install npm)."
  log "installing Node tooling from package-lock.json (npm ci)"
  # The registry sometimes drops a download (EIDLETIMEOUT, ECONNRESET): try again rather than fail the whole run.
  local attempt
  for attempt in 1 2 3; do
    if (cd "$CINCHFLOWS_ROOT" && npm ci --no-audit --no-fund </dev/null) >&2; then
      break
    fi
    ((attempt < 3)) || die "npm ci failed three times; see the npm errors above"
    log "npm ci failed (attempt $attempt of 3); trying again in $((attempt * 5)) s"
    sleep $((attempt * 5))
  done
  [[ -x "$modules/.bin/azurite" ]] || die "npm ci finished but node_modules/.bin/azurite is missing"
}

# port_open HOST PORT — true when something accepts TCP connections there (1 s connect limit).
port_open() {
  if command -v timeout >/dev/null 2>&1; then
    timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

# wait_for_port HOST PORT SECONDS [PID] — wait until HOST:PORT accepts connections.
# Fails after SECONDS, or at once if PID is given and that process has exited.
wait_for_port() {
  local host="$1" port="$2" seconds="$3" pid="${4:-}"
  local deadline=$(( $(date +%s%N) + seconds * 1000000000 ))
  until port_open "$host" "$port"; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      log "process $pid exited before $host:$port opened"
      return 1
    fi
    if (( $(date +%s%N) >= deadline )); then
      log "timed out after ${seconds}s waiting for $host:$port"
      return 1
    fi
    sleep 0.1
  done
}

# stop_process PID [SECONDS] — SIGTERM, wait up to SECONDS (default 10), then SIGKILL.
stop_process() {
  local pid="$1" seconds="${2:-10}"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(date +%s%N) + seconds * 1000000000 ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(date +%s%N) >= deadline )); then
      log "process $pid did not stop after ${seconds}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

# ensure_chromium — make sure Debian's chromium is installed: the ops page's browser tests drive it through Playwright
# (by its path; Playwright's own browser download is not used). Installs it with apt-get when CI=true or running as
# root; otherwise says how, and the run goes on (those tests then fail with the same advice).
ensure_chromium() {
  local browser=/usr/bin/chromium
  [[ -x "$browser" ]] && return 0
  if [[ "${CI:-}" != "true" && "$(id -u)" != "0" ]]; then
    log "warning: chromium is not installed, so the ops page's browser tests will fail." \
      "Install it with: sudo apt-get install -y --no-install-recommends chromium"
    return 0
  fi
  require_command apt-get "Install Debian's chromium package."
  local sudo=()
  [[ "$(id -u)" == "0" ]] || sudo=(sudo -n)
  log "installing chromium (Debian package) for the ops page's browser tests"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium </dev/null >&2; then
    # A fresh machine may have no package lists yet.
    "${sudo[@]}" apt-get update </dev/null >&2 \
      && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium </dev/null >&2 \
      || die "could not install chromium with apt-get"
  fi
  [[ -x "$browser" ]] || die "chromium was installed but $browser is missing"
}
