#!/usr/bin/env bash
# The web chat in a real browser: starts `leopost serve` on a free port against the servers of
# scripts/with-test-servers.sh (a database of its own) and a local fake Mastodon
# (Tests/e2e/fake_mastodon.py), makes a tenant, its Mastodon account and a token, and lets
# Tests/e2e/chat_e2e.py drive headless Chromium through sign-in, a message and its streamed answer,
# then the posting loop (Tests/e2e/post_flow.py). Saves the screenshots to .build/e2e/chat.png and
# .build/e2e/post.png. Stops what it started, by PID.
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
mastodon_token="e2e-mastodon-token-$$"
python3 Tests/e2e/fake_mastodon.py --port-file "$work/mastodon.port" --token "$mastodon_token" &
mastodon_pid=$!
for _ in $(seq 1 50); do [ -s "$work/mastodon.port" ] && break; sleep 0.1; done
mastodon_url="http://127.0.0.1:$(cat "$work/mastodon.port")"
# The tenant's Mastodon is on loopback: the operator allows exactly that address.
export LEOPOST_EGRESS_ALLOW="127.0.0.1:$(cat "$work/mastodon.port")"
"$bin" serve >"$work/serve.log" 2>&1 &
serve_pid=$!
cleanup() {
  kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  kill "$mastodon_pid" 2>/dev/null && wait "$mastodon_pid" 2>/dev/null || true
  psql -q "$LEOPOST_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
created=$("$bin" tenant create "E2E" --json)
tenant=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["tenant_id"])' "$created")
api_key=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["api_key"])' "$created")
curl -fsS -X PUT "http://127.0.0.1:$port/v1/social-accounts/mastodon" -H "Authorization: Bearer $api_key" \
  -H "Content-Type: application/json" \
  -d "{\"access_token\": \"$mastodon_token\", \"account_id\": \"109302436954721982\", \"base_url\": \"$mastodon_url\"}" >/dev/null
token=$("$bin" token --tenant "$tenant" --user e2e)
if ! TZ=Europe/Berlin timeout 180 "$venv/bin/python" Tests/e2e/chat_e2e.py --base-url "http://127.0.0.1:$port" --token "$token" \
    --screenshot .build/e2e/chat.png --timeout 120 --mastodon-url "$mastodon_url" --zone Europe/Berlin \
    --post-screenshot .build/e2e/post.png; then
  echo "--- serve log ---"; cat "$work/serve.log"; exit 1
fi
