#!/usr/bin/env bash
# Point-to-grid lookups against PostGIS ST_Contains, in one command from a fresh checkout:
#   scripts/bench-geo.sh                      # 10,000 grids of ~48 vertices, 1M points
#   scripts/bench-geo.sh --grids 2000 --points 100000
# Extra arguments go to `civicgrid bench grids`. Installs PostGIS from Debian if it is missing,
# runs the benchmark against a throwaway cluster of its own and stops that cluster on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "installing postgresql-15-postgis-3 ..." >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
fi

# A cluster of its own (folder and port), so it neither meets nor stops the test suite's.
export CIVICGRID_PG_DIR=${BENCH_GEO_PG_DIR:-/tmp/civicgrid-pg-bench-geo}
export CIVICGRID_PG_PORT=${BENCH_GEO_PG_PORT:-54339}
trap 'scripts/pg-cluster.sh stop' EXIT
URL=$(scripts/pg-cluster.sh start)

# The web UI is not needed to measure lookups, and building it would need npm.
export CIVICGRID_SKIP_WEB_BUILD=1
cargo run --release -q -p civicgrid -- bench grids --postgis "$URL" "$@"
