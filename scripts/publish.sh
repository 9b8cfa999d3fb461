#!/usr/bin/env bash
# Builds the deployable Azure Functions app (Flex Consumption, custom handler):
#   artifacts/functionapp/      host.json, one folder per function with its generated function.json, and the
#                               self-contained linux-x64 executable CinchFlows.Functions with its files
#   artifacts/functionapp.zip   the same folder zipped, for a zip deploy (az functionapp deployment source config-zip)
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

rm -rf -- "${out:?}"/* "$zip_file"
log "publishing the self-contained linux-x64 executable to $out"
# A linux-x64 restore adds a runtime section to the lock files; keep it out of the committed ones.
dotnet publish "$CINCHFLOWS_ROOT/functions/CinchFlows.Functions/CinchFlows.Functions.csproj" \
  -c Release -r linux-x64 --self-contained true -o "$out" \
  -p:NuGetLockFilePath=obj/linux-x64.packages.lock.json -p:UseAppHost=true --nologo -v quiet

cp -- "$CINCHFLOWS_ROOT/host.json" "$out/host.json"
# The Development settings never run in Azure.
rm -f -- "$out/appsettings.Development.json"
log "writing one function.json per declared function"
"$out/CinchFlows.Functions" write-functions "$out" >/dev/null
chmod +x "$out/CinchFlows.Functions"

(cd -- "$out" && zip -qr -X "$zip_file" .)
log "done: $out and $zip_file ($(du -h "$zip_file" | cut -f1))"
