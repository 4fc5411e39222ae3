#!/usr/bin/env bash
# Regenerates both official SDKs from the API's OpenAPI schema (no server needed):
#   sdks/openapi.json                         manage.py spectacular (what /v1/openapi.json serves)
#   sdks/python/instantreply_sdk/generated/   openapi-python-client (pinned in the dev extra)
#   sdks/typescript/src/generated/schema.ts   openapi-typescript (pinned in package-lock.json)
# Either generator's warning fails the run. `--check` regenerates into a scratch copy and
# fails, with a diff, when the checked-in files differ (CI and tests/sdks run it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
check=false
[ "${1:-}" = "--check" ] && check=true

# Generated against a scratch tree, then compared or copied into place.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$ROOT/.venv/bin:$PATH" INSTANTREPLY_ROOT="$ROOT"

INSTANTREPLY_TESTING=true INSTANTREPLY_VAR_DIR="$work/var" python manage.py spectacular \
  --validate --fail-on-warn --format openapi-json --file "$work/openapi.json"
# One trailing newline, like every other checked-in text file.
echo >> "$work/openapi.json"

(cd "$work" && openapi-python-client generate --path openapi.json --meta none \
  --config "$ROOT/sdks/python/openapi-python-client.yaml" --output-path generated \
  --fail-on-warning >"$work/python.log" 2>&1) || { cat "$work/python.log" >&2; exit 1; }

tsdir="$ROOT/sdks/typescript"
if [ ! -x "$tsdir/node_modules/.bin/openapi-typescript" ]; then
  echo "sdks.sh: run 'npm ci' in sdks/typescript first (needs node)" >&2
  exit 1
fi
# openapi-typescript reports problems on stderr and still exits 0: any stderr fails.
"$tsdir/node_modules/.bin/openapi-typescript" "$work/openapi.json" --output "$work/schema.ts" \
  >"$work/ts.log" 2>"$work/ts.err" || { cat "$work/ts.log" "$work/ts.err" >&2; exit 1; }
if [ -s "$work/ts.err" ]; then cat "$work/ts.err" >&2; exit 1; fi

if $check; then
  status=0
  diff -u sdks/openapi.json "$work/openapi.json" || status=1
  diff -ru sdks/python/instantreply_sdk/generated "$work/generated" || status=1
  diff -u sdks/typescript/src/generated/schema.ts "$work/schema.ts" || status=1
  if [ $status -ne 0 ]; then
    echo "sdks.sh: the checked-in SDKs differ from the schema; run 'bash scripts/sdks.sh'" >&2
  fi
  exit $status
fi
cp "$work/openapi.json" sdks/openapi.json
rm -rf sdks/python/instantreply_sdk/generated
cp -r "$work/generated" sdks/python/instantreply_sdk/generated
cp "$work/schema.ts" sdks/typescript/src/generated/schema.ts
echo "sdks.sh: regenerated sdks/openapi.json and both clients"
