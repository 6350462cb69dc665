#!/usr/bin/env bash
# The whole test suite: the web UI's tests (Vitest and headless-Chromium end-to-end, see
# scripts/test-web.sh; CIVICGRID_SKIP_WEB_TESTS=1 skips them), schemathesis over the OpenAPI
# document (scripts/schemathesis.sh), then every Rust test of the
# workspace on SQLite and on PostgreSQL, with a throwaway PostgreSQL cluster of this run's own.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CIVICGRID_SKIP_WEB_TESTS:-0}" != 1 ]; then
  scripts/test-web.sh
fi
# The API against its own OpenAPI document (scripts/schemathesis.sh; CIVICGRID_SKIP_SCHEMATHESIS=1 skips it).
if [ "${CIVICGRID_SKIP_SCHEMATHESIS:-0}" != 1 ]; then
  scripts/schemathesis.sh
fi
# A cluster of this run's own, so parallel runs on one machine never stop each other's.
CIVICGRID_PG_DIR=$(mktemp -d /tmp/civicgrid-pg-test.XXXXXX)
CIVICGRID_PG_PORT=${CIVICGRID_PG_PORT:-$((20000 + RANDOM % 20000))}
export CIVICGRID_PG_DIR CIVICGRID_PG_PORT
CIVICGRID_TEST_PG=$(scripts/pg-cluster.sh start)
export CIVICGRID_TEST_PG
# Here the PostgreSQL half must run: a test that cannot reach it fails instead of skipping.
export CIVICGRID_REQUIRE_PG=1
trap 'scripts/pg-cluster.sh stop' EXIT
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
else
  cargo test --workspace --no-fail-fast "$@"
fi
