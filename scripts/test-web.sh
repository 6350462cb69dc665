#!/usr/bin/env bash
# The web UI's tests: type check and Vitest in web/, then end-to-end browser tests in headless
# Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against `civicgrid demo` on a
# fresh data folder. Screenshots land in web/e2e/screenshots/.
# Needs Node.js >= 20.19 with npm, and chromium (`apt-get install chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

command -v npm >/dev/null || { echo "test-web.sh: npm is missing (apt-get install nodejs npm)" >&2; exit 1; }
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "test-web.sh: $CHROMIUM is missing (apt-get install chromium)" >&2; exit 1; }
export CHROMIUM

# Builds the binary, and with it the web UI (crates/webui/build.rs runs npm ci and the build).
cargo build -p civicgrid
(cd web && npm run --silent typecheck && npx vitest run)

DATA=$(mktemp -d)
# A copy of the binary: a later build into the shared target/ must not swap it under the test.
cp "${CARGO_TARGET_DIR:-target}/debug/civicgrid" "$DATA/civicgrid"
PORT=${CIVICGRID_E2E_PORT:-$((20000 + RANDOM % 20000))}
LOG=$DATA/server.log
"$DATA/civicgrid" demo --listen 127.0.0.1:$PORT --data "$DATA/demo" >"$LOG" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG"; echo "test-web.sh: the demo server died" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$LOG"; echo "test-web.sh: the demo server did not come up" >&2; exit 1; }
curl -sf "http://127.0.0.1:$PORT/" | grep -q 'id="app"' || { echo "test-web.sh: the server does not serve the web UI" >&2; exit 1; }

cd "$ROOT/web"
CIVICGRID_URL="http://127.0.0.1:$PORT" node e2e/run.mjs
