#!/usr/bin/env bash
# Prints a person's bearer token for local runs, signed with the development key of the standalone host's
# appsettings.Development.json (docs/api.md §0):
#   ./scripts/token.sh --person alice --roles Supervisor        (or --roles Ops, or Supervisor,Ops; --minutes 480)
#   curl -H "Authorization: Bearer $(./scripts/token.sh --person alice --roles Supervisor)" http://127.0.0.1:7071/api/me
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
dotnet run -c Release --project tools/CinchFlows.TokenTool -v quiet -- "$@"
