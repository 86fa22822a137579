#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1 for the test suite (Debian's packages) and
# print the URL to use as REFTRACK_TEST_POSTGRES_URL. Installs postgresql when it is missing
# (needs root and apt). Usage: url=$(scripts/test_postgres.sh start) ; scripts/test_postgres.sh stop
set -euo pipefail
PORT=${REFTRACK_TEST_PG_PORT:-54329}
DIR=${REFTRACK_TEST_PG_DIR:-/tmp/reftrack-test-pg}

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && echo "$d"
}

case "${1:-start}" in
  start)
    if [ -z "$(bindir)" ]; then
      echo "Installing PostgreSQL from Debian's packages ..." >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    BIN=$(bindir)
    run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
    if [ -f "$DIR/postmaster.pid" ] && run "$BIN/pg_ctl -D $DIR status" >/dev/null 2>&1; then
      :
    else
      rm -rf "$DIR"; mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      run "$BIN/initdb -D $DIR -U postgres --auth=trust -E UTF8" >/dev/null
      run "$BIN/pg_ctl -D $DIR -l $DIR/server.log -w -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1\" start" >/dev/null
    fi
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='reftrack_test'" \
      | grep -q 1 || "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres reftrack_test
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/reftrack_test"
    ;;
  stop)
    BIN=$(bindir)
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$BIN/pg_ctl -D $DIR -m fast stop" || true
    else "$BIN/pg_ctl" -D "$DIR" -m fast stop || true; fi
    ;;
esac
