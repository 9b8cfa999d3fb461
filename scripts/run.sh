#!/usr/bin/env bash
# THE RUN COMMAND: start Azurite (on disk under .azurite/) and the CinchFlows host standalone.
#   ./scripts/run.sh [args passed to the app...]
# Environment: AzureWebJobsStorage (default: the Azurite this script starts),
#              Urls or ASPNETCORE_URLS (default http://127.0.0.1:7071),
#              AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT (default 10000 / 10001 / 10002),
#              CINCHFLOWS_AZURITE_DIR (where Azurite keeps its data and log; default .azurite/ in the repo).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=run
cd "$CINCHFLOWS_ROOT"

readonly AZURITE_HOST=127.0.0.1
readonly BLOB_PORT="${AZURITE_BLOB_PORT:-10000}" QUEUE_PORT="${AZURITE_QUEUE_PORT:-10001}" TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"
for port in "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT"; do
  [[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "Azurite ports must be numbers from 1 to 65535, not '$port'"
done
readonly AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
readonly AZURITE_DIR="${CINCHFLOWS_AZURITE_DIR:-$CINCHFLOWS_ROOT/.azurite}"
readonly AZURITE_LOG="$AZURITE_DIR/azurite.log"
readonly AZURITE_START_SECONDS=60

AZURITE_PID=""
APP_PID=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$APP_PID" ]]; then
    stop_process "$APP_PID" 20
  fi
  if [[ -n "$AZURITE_PID" ]]; then
    log "stopping Azurite (pid $AZURITE_PID)"
    stop_process "$AZURITE_PID" 10
  fi
  exit "$status"
}
on_signal() {
  # Exit code 128+signal; the EXIT trap stops the app and Azurite.
  log "received SIG$1, shutting down"
  exit $(( 128 + $2 ))
}
trap cleanup EXIT
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM

# server_header PORT — the HTTP Server header of whatever answers on AZURITE_HOST:PORT.
server_header() {
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" "$0" >&3
    while IFS= read -r -t 2 line <&3; do
      line=${line%$'"'"'\r'"'"'}
      [[ -z "$line" ]] && break
      [[ "${line,,}" == server:* ]] && { printf "%s\n" "${line#*: }"; break; }
    done' "$AZURITE_HOST" "$1" 2>/dev/null || true
}

uses_local_storage() {
  local conn="$AzureWebJobsStorage"
  [[ "$conn" == *UseDevelopmentStorage=true* || "$conn" == *127.0.0.1* || "$conn" == *localhost* ]]
}

start_azurite() {
  local open=0 port
  for port in "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT"; do
    if port_open "$AZURITE_HOST" "$port"; then open=$((open + 1)); fi
  done

  if (( open == 3 )); then
    local server
    server="$(server_header "$TABLE_PORT")"
    if [[ "$server" == Azurite* ]]; then
      log "Azurite is already running on $AZURITE_HOST:$BLOB_PORT-$TABLE_PORT ($server); reusing it, not starting another"
    else
      log "warning: ports $BLOB_PORT-$TABLE_PORT already answer but do not look like Azurite (Server: ${server:-unknown}); using them anyway"
    fi
    return 0
  fi
  if (( open > 0 )); then
    die "some of the ports $BLOB_PORT, $QUEUE_PORT, $TABLE_PORT on $AZURITE_HOST are taken, but not all: stop whatever holds them and retry"
  fi

  ensure_node_deps
  mkdir -p "$AZURITE_DIR"
  printf '\n--- %s: starting Azurite ---\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$AZURITE_LOG"
  # In its own session, so a Ctrl+C in the terminal (SIGINT to the whole foreground group) does not stop Azurite under
  # the host that is still writing to it: the EXIT trap stops the host first, then Azurite.
  setsid "$CINCHFLOWS_ROOT/node_modules/.bin/azurite" \
    --location "$AZURITE_DIR" \
    --blobHost "$AZURITE_HOST" --blobPort "$BLOB_PORT" \
    --queueHost "$AZURITE_HOST" --queuePort "$QUEUE_PORT" \
    --tableHost "$AZURITE_HOST" --tablePort "$TABLE_PORT" \
    --skipApiVersionCheck --loose --silent --disableTelemetry \
    </dev/null >>"$AZURITE_LOG" 2>&1 &
  AZURITE_PID=$!
  log "starting Azurite (pid $AZURITE_PID), data in $AZURITE_DIR, log in $AZURITE_LOG"

  for port in "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT"; do
    if ! wait_for_port "$AZURITE_HOST" "$port" "$AZURITE_START_SECONDS" "$AZURITE_PID"; then
      log "Azurite did not start; last lines of $AZURITE_LOG:"
      tail -n 20 "$AZURITE_LOG" >&2 || true
      exit 1
    fi
  done
  log "Azurite is listening: blob $AZURITE_HOST:$BLOB_PORT, queue $AZURITE_HOST:$QUEUE_PORT, table $AZURITE_HOST:$TABLE_PORT"
}

# Where storage is, for the banner, without the account key.
storage_summary() {
  if [[ "$AzureWebJobsStorage" == *TableEndpoint=* ]]; then
    local table="${AzureWebJobsStorage#*TableEndpoint=}"
    printf 'Azurite (blob %s, queue %s, table %s), tables at %s\n' "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT" "${table%%;*}"
  else
    printf '%s\n' "${AzureWebJobsStorage%%AccountKey=*}"
  fi
}

# The address the host will listen on, for the banner: a --urls argument wins over the environment.
listen_urls() {
  local urls="$Urls" arg next=""
  for arg in "$@"; do
    if [[ -n "$next" ]]; then urls="$arg"; next=""; continue; fi
    case "${arg,,}" in
      --urls=*) urls="${arg#*=}" ;;
      --urls) next=1 ;;
    esac
  done
  printf '%s\n' "$urls"
}

require_command dotnet "Install the .NET SDK 10."

export ASPNETCORE_ENVIRONMENT=Development
if [[ -z "${AzureWebJobsStorage:-}" ]]; then
  # Azurite's well-known development account (public, documented by Microsoft), at the chosen ports.
  AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_ACCOUNT_KEY;"
  AzureWebJobsStorage+="BlobEndpoint=http://$AZURITE_HOST:$BLOB_PORT/devstoreaccount1;"
  AzureWebJobsStorage+="QueueEndpoint=http://$AZURITE_HOST:$QUEUE_PORT/devstoreaccount1;"
  AzureWebJobsStorage+="TableEndpoint=http://$AZURITE_HOST:$TABLE_PORT/devstoreaccount1;"
fi
export AzureWebJobsStorage
export Urls="${Urls:-${ASPNETCORE_URLS:-http://127.0.0.1:7071}}"

if uses_local_storage; then
  start_azurite
else
  log "AzureWebJobsStorage points at a remote account; not starting Azurite"
fi

urls="$(listen_urls "$@")"
base="${urls%%;*}"
base="${base%/}"
cat >&2 <<BANNER

CinchFlows (standalone host, Development) will listen on: $urls
  Health:                                $base/api/health
  Ops API key (X-Api-Key, reads only):   dev-ops-key
  Supervisor API key (reads only):       dev-supervisor-key
  To act, sign in as a person:           ./scripts/token.sh --person alice --roles Ops (or Supervisor)
  Ops page (paste the token or a key):   $base/api/ops/
  Storage:                               $(storage_summary)
Press Ctrl+C to stop.

BANNER

# Build first, in the foreground, with its progress shown (about a minute on a fresh machine), then run the built host.
log "building the host (dotnet build -c Release)"
if ! dotnet build functions/CinchFlows.Standalone -c Release -nologo -v minimal -clp:NoSummary </dev/null | sed -u 's/^/[build] /' >&2; then
  die "the build failed (see above)"
fi
log "starting the host"

# In the background plus `wait`, so a SIGTERM sent to this script is handled at once
# (a foreground child would defer the trap until it exits). The built dll itself, not `dotnet run`: `dotnet run` did
# not pass the EXIT trap's SIGTERM on, so after Ctrl+C the script killed it after 20 s and left the host running.
dotnet functions/CinchFlows.Standalone/bin/Release/net10.0/CinchFlows.Standalone.dll "$@" &
APP_PID=$!
set +e
wait "$APP_PID"
status=$?
set -e
APP_PID=""
if (( status != 0 )); then
  log "the host exited with status $status"
fi
exit "$status"
