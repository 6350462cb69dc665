#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on a socket folder of its own.
#   scripts/pg-cluster.sh start   # prints the URL to export as CIVICGRID_TEST_PG
#   scripts/pg-cluster.sh stop
# initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
set -euo pipefail
DIR=${CIVICGRID_PG_DIR:-/tmp/civicgrid-pg}
PORT=${CIVICGRID_PG_PORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
  if [ -f "$DIR/data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    :
  else
    rm -rf "$DIR"; mkdir -p "$DIR/socket"
    [ "$(id -u)" = 0 ] && chown -R postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start \
      -o "-k $DIR/socket -p $PORT -c listen_addresses='' -c max_connections=300 -c shared_buffers=256MB -c fsync=on" >/dev/null \
      || { cat "$DIR/server.log" >&2; exit 1; }
  fi
  echo "postgres://postgres@localhost:$PORT/postgres?host=$DIR/socket"
  ;;
stop)
  [ -d "$DIR/data" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
