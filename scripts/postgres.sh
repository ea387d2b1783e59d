#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the tests of the PostgreSQL event store.
#   scripts/postgres.sh start   starts it if it is not running and prints its DSN (trust authentication, loopback only)
#   scripts/postgres.sh stop    stops it and deletes its data
# Port 55432 (PGTEST_PORT to change), data in /tmp/vigil-postgres-$PORT. As root, the server runs as the postgres user
# (PostgreSQL refuses to run as root).
set -euo pipefail
port=${PGTEST_PORT:-55432}
data=/tmp/vigil-postgres-$port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $bin ]]; then
  echo "PostgreSQL is not installed: run scripts/deps.sh (it installs the postgresql package)" >&2
  exit 1
fi
as_server() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
dsn="host=127.0.0.1 port=$port user=postgres dbname=postgres"

case ${1:-start} in
  start)
    if ! as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      rm -rf "$data"
      mkdir -p "$data"
      [[ $(id -u) -eq 0 ]] && chown postgres: "$data"
      as_server "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
      as_server "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" start >/dev/null
    fi
    echo "$dsn"
    ;;
  stop)
    as_server "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$data"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
