#!/usr/bin/env bash
# The web chat in a real browser: starts `leopost serve` on a free port against the servers of
# scripts/with-test-servers.sh (a database of its own), makes a tenant and a token with the CLI,
# and lets Tests/e2e/chat_e2e.py drive headless Chromium through sign-in, a message and its
# streamed answer. Saves the screenshot to .build/e2e/chat.png. Stops what it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LEOPOST_TEST_REDIS_URL:?run me through scripts/with-test-servers.sh}"
bin="$(swift build --show-bin-path)/leopost"
venv=.build/e2e-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q selenium
fi
mkdir -p .build/e2e
work=$(mktemp -d /tmp/leopost-e2e.XXXXXX)
database="e2e_$(date +%s)_$$"
psql -q "$LEOPOST_TEST_DATABASE_URL" -c "CREATE DATABASE $database"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export LEOPOST_REDIS_URL="$LEOPOST_TEST_REDIS_URL"
export LEOPOST_DATABASE_URL="${LEOPOST_TEST_DATABASE_URL%/*}/$database"
export LEOPOST_DATA_DIR="$work" LEOPOST_HTTP_ADDR="127.0.0.1:$port" LEOPOST_LOG_LEVEL=warning
export LEOPOST_MASTER_KEY="$(openssl rand -hex 32)" LEOPOST_JWT_SECRET="$(openssl rand -hex 32)"
"$bin" serve >"$work/serve.log" 2>&1 &
serve_pid=$!
cleanup() {
  kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  psql -q "$LEOPOST_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
tenant=$("$bin" tenant create "E2E" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["tenant_id"])')
token=$("$bin" token --tenant "$tenant" --user e2e)
if ! timeout 120 "$venv/bin/python" Tests/e2e/chat_e2e.py --base-url "http://127.0.0.1:$port" --token "$token" \
    --screenshot .build/e2e/chat.png --timeout 60; then
  echo "--- serve log ---"; cat "$work/serve.log"; exit 1
fi
