#!/usr/bin/env bash
# Builds the deployable Azure Functions app (Flex Consumption, isolated worker, dotnet-isolated 10.0):
#   artifacts/functionapp/      `dotnet publish` of functions/CinchFlows.Functions for linux-x64: host.json,
#                               functions.metadata (every function), extensions.json and .azurefunctions/ (the host
#                               extensions: Durable Task, Storage Queues), worker.config.json, CinchFlows.Functions.dll
#   artifacts/functionapp.zip   the same folder zipped, for a one-deploy (az functionapp deployment source config-zip)
# Usage: ./scripts/publish.sh [output folder]
set -euo pipefail
LOG_TAG=publish
# shellcheck source=scripts/lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

out="${1:-$CINCHFLOWS_ROOT/artifacts/functionapp}"
out="$(mkdir -p -- "$out" && cd -- "$out" && pwd -P)"
zip_file="$out.zip"
[[ "$out" != "/" && "$out" != "$CINCHFLOWS_ROOT" ]] || die "refusing to publish into $out: pick a folder of its own"
require_command dotnet "Install the .NET SDK 10."
require_command zip "Install zip (Debian: apt-get install zip)."

rm -rf -- "${out:?}"/* "${out:?}"/.azurefunctions "$zip_file"
log "publishing the Functions app for linux-x64 to $out"
# Framework-dependent: Flex Consumption runs it on its dotnet-isolated 10.0 runtime. A linux-x64 restore adds a
# runtime section to the lock files; keep it out of the committed ones.
dotnet publish "$CINCHFLOWS_ROOT/functions/CinchFlows.Functions/CinchFlows.Functions.csproj" \
  -c Release -r linux-x64 --self-contained false -o "$out" \
  -p:NuGetLockFilePath=obj/linux-x64.packages.lock.json --nologo -v quiet

for part in host.json functions.metadata extensions.json worker.config.json CinchFlows.Functions.dll; do
  [[ -f "$out/$part" ]] || die "the publish output has no $part"
done

# -X: no extra file attributes, so the same build zips the same; the hidden .azurefunctions folder is included.
(cd -- "$out" && zip -qr -X "$zip_file" .)
functions="$(grep -c '"scriptFile"' "$out/functions.metadata" || true)"
log "done: $out and $zip_file ($(du -h "$zip_file" | cut -f1), $functions functions)"
