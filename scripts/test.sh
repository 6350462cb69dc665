#!/usr/bin/env bash
# The whole test suite, on SQLite and PostgreSQL: starts a throwaway PostgreSQL cluster, runs
# every test of the workspace against both backends, stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
# A cluster of this run's own, so parallel runs on one machine never stop each other's.
CIVICGRID_PG_DIR=$(mktemp -d /tmp/civicgrid-pg-test.XXXXXX)
CIVICGRID_PG_PORT=${CIVICGRID_PG_PORT:-$((20000 + RANDOM % 20000))}
export CIVICGRID_PG_DIR CIVICGRID_PG_PORT
CIVICGRID_TEST_PG=$(scripts/pg-cluster.sh start)
export CIVICGRID_TEST_PG
trap 'scripts/pg-cluster.sh stop' EXIT
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
else
  cargo test --workspace --no-fail-fast "$@"
fi
