#!/usr/bin/env bash
# Starts a throwaway redis-server and PostgreSQL on free loopback ports, runs the given command
# with LEOPOST_TEST_REDIS_URL / LEOPOST_TEST_DATABASE_URL pointing at them, then stops both
# (by the PIDs it started) whatever the command's outcome. Used by `make test` and `make bench`.
set -euo pipefail

pg_bin=${LEOPOST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$pg_bin/postgres" ] || { echo "with-test-servers: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "with-test-servers: redis-server not found (apt-get install redis-server)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

work=$(mktemp -d /tmp/leopost-test.XXXXXX)
chmod 755 "$work"
redis_pid=""
pg_pid=""
command_pid=""
cleanup() {
  # The command runs in its own process group: stop all of it (swift test starts the test binary as a child).
  [ -n "$command_pid" ] && kill -- "-$command_pid" 2>/dev/null && wait "$command_pid" 2>/dev/null || true
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null && wait "$pg_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

redis_port=$(free_port)
mkdir -p "$work/redis"
# The append-only file on, as Leopost requires of a Redis it does not start itself (everysec: a
# throwaway server need not fsync every write).
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save '' --appendonly yes --appendfsync everysec \
  --daemonize no --logfile "$work/redis/redis.log" &
redis_pid=$!

mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/pg/initdb.log" 2>&1 \
  || { cat "$work/pg/initdb.log" >&2; exit 1; }
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/postgres" -D "$work/pg/data" -p "$pg_port" -k "$work/pg" -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=600 >"$work/pg/postgres.log" 2>&1 &
pg_pid=$!

for _ in $(seq 1 100); do
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1 && "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then break; fi
  sleep 0.1
done
redis-cli -p "$redis_port" ping >/dev/null || { echo "with-test-servers: redis-server did not start" >&2; cat "$work/redis/redis.log" >&2; exit 1; }
"$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || { echo "with-test-servers: PostgreSQL did not start" >&2; cat "$work/pg/postgres.log" >&2; exit 1; }

export LEOPOST_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
export LEOPOST_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export LEOPOST_PG_BIN="$pg_bin"
echo "with-test-servers: redis $LEOPOST_TEST_REDIS_URL, postgres $LEOPOST_TEST_DATABASE_URL"
# In the background so a TERM (from `timeout`, or CI) stops the command too, not only the servers.
set +e
setsid "$@" &
command_pid=$!
wait "$command_pid"
status=$?
command_pid=""
set -e
exit $status
