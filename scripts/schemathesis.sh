#!/usr/bin/env bash
# Property-based tests of the HTTP API from its own OpenAPI document (schemathesis, from PyPI),
# against `civicgrid demo` on a fresh data folder, signed in as the city's admin. Bounded in time.
# It asks for what issue 22 names: no server error, no answer outside its schema, no status code
# the document does not list, and a 405 for a method a route does not take. It does not ask that
# every schema-valid request be accepted: a well-formed area code may name no area.
# Needs python3 with venv; the first run installs schemathesis into target/schemathesis-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${CARGO_TARGET_DIR:-target}/schemathesis-venv
if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'schemathesis==4.32.5'
fi
cargo build -p civicgrid
DATA=$(mktemp -d)
cp "${CARGO_TARGET_DIR:-target}/debug/civicgrid" "$DATA/civicgrid"
PORT=${CIVICGRID_ST_PORT:-$((20000 + RANDOM % 20000))}
"$DATA/civicgrid" demo --listen 127.0.0.1:$PORT --data "$DATA/demo" --cases 300 >"$DATA/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 120); do
  curl -sf "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$DATA/server.log"; echo "schemathesis.sh: the demo server died" >&2; exit 1; }
  sleep 1
done
TOKEN=$(curl -sf -X POST -H 'content-type: application/json' -d '{"username":"admin","password":"civicgrid"}' "$BASE/api/v1/session" \
  | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
timeout 600 "$VENV/bin/st" run "$BASE/api/v1/openapi.json" --url "$BASE" -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method \
  --phases examples,coverage,fuzzing --max-examples 5 --seed 20261206 --workers 2 --request-timeout 30
