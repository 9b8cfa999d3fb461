#!/usr/bin/env bash
# The replay check before a deploy of a flow change (docs/flows.md, "Changing a flow"): exports the history of every
# flow still in flight from a running CinchFlows (the management API's showHistory, ops key) and replays each against
# the flows in this checkout, failing on any the changed code would break. Nothing is written to the service.
# Usage: CINCHFLOWS_URL=https://… CINCHFLOWS_OPS_KEY=… ./scripts/replay-check.sh [folder]
#        ./scripts/replay-check.sh --only folder     (replay histories exported before, e.g. by hand)
# The histories (flow inputs: call, agent, customer and job ids; never medical details) stay in the folder, by default
# artifacts/replay/<UTC time>/, which git ignores.
set -euo pipefail
LOG_TAG=replay
# shellcheck source=scripts/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
require_command dotnet "Install the .NET SDK 10."

if [[ "${1:-}" == "--only" ]]; then
  folder="${2:?usage: $0 --only folder}"
else
  require_command curl "Install curl."
  require_command jq "Install jq (Debian: apt-get install jq)."
  url="${CINCHFLOWS_URL:?set CINCHFLOWS_URL to the service, e.g. https://cinchflows.azurewebsites.net}"
  key="${CINCHFLOWS_OPS_KEY:?set CINCHFLOWS_OPS_KEY to an ops key}"
  folder="${1:-$CINCHFLOWS_ROOT/artifacts/replay/$(date -u +%Y%m%dT%H%M%SZ)}"
  mkdir -p -- "$folder"
  log "exporting the flows in flight from $url to $folder"
  token=""
  count=0
  while :; do
    headers="$(mktemp)"
    page="$(curl -fsS -D "$headers" -H "X-Api-Key: $key" ${token:+-H "x-ms-continuation-token: $token"} \
      "$url/api/instances?runtimeStatus=Running,Pending,Suspended&top=500")"
    token="$(tr -d '\r' < "$headers" | awk 'tolower($1) == "x-ms-continuation-token:" { print $2 }')"
    rm -f -- "$headers"
    while IFS= read -r id; do
      [[ -n "$id" ]] || continue
      curl -fsS -H "X-Api-Key: $key" "$url/api/instances/$(jq -rn --arg id "$id" '$id | @uri')?showHistory=true" > "$folder/$id.json"
      count=$((count + 1))
    done < <(jq -r '.[].instanceId' <<< "$page")
    [[ -n "$token" ]] || break
  done
  log "exported $count flow(s) in flight"
  [[ "$count" -gt 0 ]] || { log "nothing in flight: any change can be deployed"; exit 0; }
fi

folder="$(cd -- "$folder" && pwd -P)"
log "replaying the histories in $folder against this checkout's flows"
CINCHFLOWS_REPLAY_HISTORIES="$folder" dotnet test "$CINCHFLOWS_ROOT/tests/CinchFlows.IntegrationTests/CinchFlows.IntegrationTests.csproj" \
  -c Release --nologo --filter "FullyQualifiedName~ReplayCheckTests.ExportedHistories_ReplayAgainstTheCurrentFlows" \
  --logger "console;verbosity=detailed"
